package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.recsys.plugin.action.DeleteModelAction;
import org.recsys.plugin.action.IdRequest;

import java.util.List;

public final class RestDeleteModelAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_delete_model";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.DELETE, "/_recsys/models/{id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        IdRequest delete = new IdRequest(request.param("id"));
        return channel -> client.execute(DeleteModelAction.TYPE, delete, new RestToXContentListener<>(channel));
    }
}

package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.recsys.plugin.action.GetModelsAction;
import org.recsys.plugin.action.IdRequest;

import java.util.List;

public final class RestGetModelsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_get_models";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/_recsys/models"), new Route(RestRequest.Method.GET, "/_recsys/models/{id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        IdRequest get = new IdRequest(request.param("id"));
        return channel -> client.execute(GetModelsAction.TYPE, get, new RestToXContentListener<>(channel));
    }
}

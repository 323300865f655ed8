package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestUtils;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.recsys.plugin.action.DeleteEncoderAction;

import java.util.List;

public final class RestDeleteEncoderAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_delete_encoder";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.DELETE, "/_recsys/encoders/{id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        DeleteEncoderAction.Request delete =
            new DeleteEncoderAction.Request(RestUtils.getMasterNodeTimeout(request), RestUtils.getAckTimeout(request), request.param("id"));
        return channel -> client.execute(DeleteEncoderAction.TYPE, delete, new RestToXContentListener<>(channel));
    }
}

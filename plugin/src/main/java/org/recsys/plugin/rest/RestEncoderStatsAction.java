package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.recsys.plugin.action.EncoderStatsAction;

import java.util.List;

public final class RestEncoderStatsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_encoder_stats";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/_recsys/encoders/_stats"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        return channel -> client.execute(EncoderStatsAction.TYPE, new EncoderStatsAction.Request(), new RestToXContentListener<>(channel));
    }
}

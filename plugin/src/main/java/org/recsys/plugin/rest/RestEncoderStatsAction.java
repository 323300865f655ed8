package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.action.RecsysStatsAction;

import java.util.List;

/** {@code GET _recsys/encoders/_stats}: the encoders of the node that answers ({@code _recsys/_stats} has every node's). */
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
        return channel -> client.execute(
            RecsysStatsAction.TYPE,
            new RecsysStatsAction.Request("_local"),
            new RestBuilderListener<RecsysStatsAction.Response>(channel) {
                @Override
                public RestResponse buildResponse(RecsysStatsAction.Response response, XContentBuilder builder) throws Exception {
                    if (response.hasFailures()) {
                        throw response.failures().get(0);
                    }
                    RecsysStatsAction.NodeResponse node = response.getNodes().get(0);
                    builder.startObject().field("node", node.getNode().getName()).field("encoders");
                    node.encodersToXContent(builder, request);
                    return new RestResponse(RestStatus.OK, builder.endObject());
                }
            }
        );
    }
}

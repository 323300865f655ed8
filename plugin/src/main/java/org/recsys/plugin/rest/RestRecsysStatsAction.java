package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestChunkedToXContentListener;
import org.recsys.plugin.action.RecsysStatsAction;

import java.util.List;

/** {@code GET _recsys/_stats[/{node_id}]}: every node's (or the named nodes') encoders, served models and trainings. */
public final class RestRecsysStatsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_stats";
    }

    @Override
    public List<Route> routes() {
        return List
            .of(new Route(RestRequest.Method.GET, "/_recsys/_stats"), new Route(RestRequest.Method.GET, "/_recsys/_stats/{node_id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        RecsysStatsAction.Request stats = new RecsysStatsAction.Request(Strings.splitStringByCommaToArray(request.param("node_id")));
        return channel -> client.execute(RecsysStatsAction.TYPE, stats, new RestChunkedToXContentListener<>(channel));
    }
}

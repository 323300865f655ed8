package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.action.RecommendAction;
import org.recsys.plugin.recommend.RecommendSpec;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.List;

public final class RestRecommendAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_recommend";
    }

    @Override
    public List<Route> routes() {
        return List.of(
            new Route(RestRequest.Method.POST, "/_recsys/models/{id}/_recommend"),
            new Route(RestRequest.Method.GET, "/_recsys/models/{id}/_recommend")
        );
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        RecommendSpec spec;
        try (XContentParser parser = request.contentParser()) {
            spec = BodyParsing.singleObject(parser, RecommendSpec::parse);
        }
        RecommendAction.Request recommend = new RecommendAction.Request(request.param("id"), spec);
        // A search: cancelled when the client goes away.
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
            .execute(RecommendAction.TYPE, recommend, new RestToXContentListener<>(channel));
    }
}

package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.action.EvaluateModelAction;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.List;
import java.util.Map;

public final class RestEvaluateModelAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_evaluate_model";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/_recsys/models/{id}/_evaluate"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        Map<String, Object> body;
        try (XContentParser parser = request.contentParser()) {
            body = BodyParsing.singleObject(parser, XContentParser::map);
        }
        EvaluateModelAction.Request evaluate = new EvaluateModelAction.Request(request.param("id"), body);
        return channel -> client.execute(EvaluateModelAction.TYPE, evaluate, new RestToXContentListener<>(channel));
    }
}

package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.serving.UserSpec;
import org.recsys.plugin.serving.UserVectorAction;
import org.recsys.plugin.store.ModelId;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.List;

import static org.elasticsearch.xcontent.ConstructingObjectParser.constructorArg;

/**
 * {@code POST _recsys/models/{id}/_user {"user": {...}}}: a user as the model's served version sees them (the same
 * resolution as {@code recsys_user}, {@code _recommend} and the rescorer), with the params of the {@code fused}
 * script ready to send.
 */
public final class RestUserAction extends BaseRestHandler {

    private static final ConstructingObjectParser<UserSpec, Void> BODY =
        new ConstructingObjectParser<>("user_request", a -> ((UserSpec.Builder) a[0]).build());
    static {
        BODY.declareObject(constructorArg(), UserSpec.PARSER, new ParseField("user"));
    }

    @Override
    public String getName() {
        return "recsys_user";
    }

    @Override
    public List<Route> routes() {
        return List.of(
            new Route(RestRequest.Method.POST, "/_recsys/models/{id}/_user"),
            new Route(RestRequest.Method.GET, "/_recsys/models/{id}/_user")
        );
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        UserSpec user;
        try (XContentParser parser = request.contentParser()) {
            user = BodyParsing.singleObject(parser, p -> BODY.parse(p, null));
        }
        String modelId = request.param("id");
        ModelId.validate(modelId);
        return channel -> client
            .execute(UserVectorAction.TYPE, new UserVectorAction.Request(modelId, user, true), new RestToXContentListener<>(channel));
    }
}

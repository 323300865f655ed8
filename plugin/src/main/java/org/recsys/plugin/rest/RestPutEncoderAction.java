package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestUtils;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.action.PutEncoderAction;
import org.recsys.plugin.encoder.EncoderRegistration;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.List;

public final class RestPutEncoderAction extends BaseRestHandler {

    @Override
    public String getName() {
        return "recsys_put_encoder";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.PUT, "/_recsys/encoders/{id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        EncoderRegistration registration;
        try (XContentParser parser = request.contentParser()) {
            registration = BodyParsing.singleObject(parser, p -> EncoderRegistration.parse(request.param("id"), p));
        }
        PutEncoderAction.Request put =
            new PutEncoderAction.Request(RestUtils.getMasterNodeTimeout(request), RestUtils.getAckTimeout(request), registration);
        return channel -> client.execute(PutEncoderAction.TYPE, put, new RestToXContentListener<>(channel));
    }
}

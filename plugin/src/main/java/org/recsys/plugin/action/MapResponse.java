package org.recsys.plugin.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/**
 * A response whose body is a document of the model store (a model, a version's summary, an evaluation): those are
 * stored and returned as the same JSON, so one generic map carries them on the wire.
 */
public final class MapResponse extends ActionResponse implements ToXContentObject {

    private final Map<String, Object> body;

    public MapResponse(Map<String, Object> body) {
        this.body = body;
    }

    public MapResponse(StreamInput in) throws IOException {
        this.body = in.readGenericMap();
    }

    public Map<String, Object> body() {
        return body;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeGenericMap(body);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.map(body);
    }
}

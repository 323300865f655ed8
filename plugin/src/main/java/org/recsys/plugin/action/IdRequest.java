package org.recsys.plugin.action;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;

import java.io.IOException;

/** A request that names one encoder or model by id, or all of them with a null id. */
public final class IdRequest extends ActionRequest {

    private final String id;

    public IdRequest(@Nullable String id) {
        this.id = id;
    }

    public static IdRequest all() {
        return new IdRequest((String) null);
    }

    public IdRequest(StreamInput in) throws IOException {
        super(in);
        this.id = in.readOptionalString();
    }

    @Nullable
    public String id() {
        return id;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeOptionalString(id);
    }

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }
}

package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The user as the shards need them, resolved once on the coordinating node: the factor in the served version, the
 * item field it belongs to, and the content profile (unit length), when there is one.
 */
public record ResolvedUser(long version, String itemField, float[] factor, @Nullable float[] contentProfile) implements Writeable {

    public ResolvedUser(StreamInput in) throws IOException {
        this(in.readVLong(), in.readString(), in.readFloatArray(), in.readBoolean() ? in.readFloatArray() : null);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(version);
        out.writeString(itemField);
        out.writeFloatArray(factor);
        out.writeBoolean(contentProfile != null);
        if (contentProfile != null) {
            out.writeFloatArray(contentProfile);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedUser r
            && version == r.version
            && itemField.equals(r.itemField)
            && Arrays.equals(factor, r.factor)
            && Arrays.equals(contentProfile, r.contentProfile);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, itemField, Arrays.hashCode(factor), Arrays.hashCode(contentProfile));
    }
}

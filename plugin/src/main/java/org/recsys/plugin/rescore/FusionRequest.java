package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.recsys.core.fusion.WeightedSum;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the fused score reads besides the user: the weights (one per feature, in {@code FusionFeature} order), the
 * items' text vector field and the user's content profile when given, and the numeric field holding each item's
 * interaction count.
 */
public record FusionRequest(double[] weights, @Nullable String textField, @Nullable float[] contentVector, @Nullable String popularityField)
    implements
        Writeable {

    public FusionRequest {
        new WeightedSum(weights);
    }

    public FusionRequest(StreamInput in) throws IOException {
        this(in.readDoubleArray(), in.readOptionalString(), in.readBoolean() ? in.readFloatArray() : null, in.readOptionalString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeDoubleArray(weights);
        out.writeOptionalString(textField);
        out.writeBoolean(contentVector != null);
        if (contentVector != null) {
            out.writeFloatArray(contentVector);
        }
        out.writeOptionalString(popularityField);
    }

    public WeightedSum fusion() {
        return new WeightedSum(weights);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusionRequest r
            && Arrays.equals(weights, r.weights)
            && Objects.equals(textField, r.textField)
            && Arrays.equals(contentVector, r.contentVector)
            && Objects.equals(popularityField, r.popularityField);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(weights), textField, Arrays.hashCode(contentVector), popularityField);
    }
}

package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.WeightedSum;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    /**
     * The fusion fields of a request body ({@code weights}, {@code text_field}, {@code content_vector},
     * {@code popularity_field}); errors name them under {@code prefix}. Other fields of the body are the caller's.
     */
    public static FusionRequest parse(Map<String, Object> map, String prefix) {
        double[] weights = numbers(map.get("weights"), prefix, "weights");
        float[] content = null;
        if (map.get("content_vector") != null) {
            double[] c = numbers(map.get("content_vector"), prefix, "content_vector");
            content = new float[c.length];
            for (int i = 0; i < c.length; i++) {
                content[i] = (float) c[i];
            }
        }
        String textField = string(map.get("text_field"), prefix, "text_field");
        if (weights.length == FusionFeature.COUNT && weights[FusionFeature.CONTENT.ordinal()] != 0 && textField == null) {
            throw new IllegalArgumentException(
                "[" + prefix + ".weights] gives [content] a weight but [" + prefix + ".text_field] is missing; name the items' text vector field"
            );
        }
        return new FusionRequest(weights, textField, content, string(map.get("popularity_field"), prefix, "popularity_field"));
    }

    private static String string(Object value, String prefix, String name) {
        if (value == null || value instanceof String s && s.isEmpty() == false) {
            return (String) value;
        }
        throw new IllegalArgumentException("[" + prefix + "." + name + "] is [" + value + "]; expected a field name");
    }

    private static double[] numbers(Object value, String prefix, String name) {
        if (value instanceof List<?> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (list.get(i) instanceof Number n) {
                    out[i] = n.doubleValue();
                } else {
                    throw new IllegalArgumentException("[" + prefix + "." + name + "] element [" + i + "] is [" + list.get(i) + "]; expected a number");
                }
            }
            return out;
        }
        throw new IllegalArgumentException("[" + prefix + "." + name + "] is [" + value + "]; expected an array of numbers");
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

package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.WeightedSum;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the fused score reads besides the user: the weights (one per feature, in {@code FusionFeature} order), the
 * items' text vector field and the user's content profile when given, the numeric field holding each item's
 * interaction count, and other models whose scores for the user join the sum with their weights.
 */
public record FusionRequest(
    double[] weights,
    @Nullable String textField,
    @Nullable float[] contentVector,
    @Nullable String popularityField,
    List<ModelWeight> models
) implements Writeable, ToXContentFragment {

    public static final int MAX_MODELS = 8;

    public FusionRequest {
        new WeightedSum(weights);
        if (models.size() > MAX_MODELS) {
            throw new IllegalArgumentException("[models] names " + models.size() + " models; at most " + MAX_MODELS + " are accepted");
        }
        if (models.stream().map(ModelWeight::model).distinct().count() < models.size()) {
            throw new IllegalArgumentException("[models] names a model more than once: " + models.stream().map(ModelWeight::model).toList());
        }
    }

    public FusionRequest(StreamInput in) throws IOException {
        this(
            in.readDoubleArray(),
            in.readOptionalString(),
            in.readOptionalFloatArray(),
            in.readOptionalString(),
            in.readCollectionAsList(ModelWeight::new)
        );
    }

    /** The model's own score alone: the fusion of a ranking by one model. */
    public static FusionRequest modelOnly() {
        return new FusionRequest(WeightedSum.collaborativeOnly().weights(), null, null, null, List.of());
    }

    /** The content feature counts: it has a weight. */
    public boolean usesContent() {
        return weights[FusionFeature.CONTENT.ordinal()] != 0;
    }

    /**
     * The fusion fields of a request body ({@code weights}, {@code text_field}, {@code content_vector},
     * {@code popularity_field}, {@code models}); errors name them under {@code prefix}. Other fields of the body are
     * the caller's. Without {@code text_field}, the content feature reads the field the model's content profiles
     * were made from.
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
        return new FusionRequest(weights, textField, content, string(map.get("popularity_field"), prefix, "popularity_field"), models(map.get("models"), prefix));
    }

    private static List<ModelWeight> models(Object value, String prefix) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            List<ModelWeight> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                String at = prefix + ".models[" + i + "]";
                if (list.get(i) instanceof Map<?, ?> m && m.keySet().equals(Set.of("model", "weight")) && m.get("model") instanceof String model
                    && m.get("weight") instanceof Number weight) {
                    out.add(new ModelWeight(model, weight.doubleValue()));
                } else {
                    throw new IllegalArgumentException("[" + at + "] is [" + list.get(i) + "]; expected {\"model\": <model id>, \"weight\": <number>}");
                }
            }
            return out;
        }
        throw new IllegalArgumentException("[" + prefix + ".models] is [" + value + "]; expected an array of {\"model\", \"weight\"} objects");
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
        out.writeOptionalFloatArray(contentVector);
        out.writeOptionalString(popularityField);
        out.writeCollection(models);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.array("weights", weights);
        if (textField != null) {
            builder.field("text_field", textField);
        }
        if (contentVector != null) {
            builder.array("content_vector", contentVector);
        }
        if (popularityField != null) {
            builder.field("popularity_field", popularityField);
        }
        if (models.isEmpty() == false) {
            builder.startArray("models");
            for (ModelWeight m : models) {
                builder.startObject().field("model", m.model()).field("weight", m.weight()).endObject();
            }
            builder.endArray();
        }
        return builder;
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
            && Objects.equals(popularityField, r.popularityField)
            && models.equals(r.models);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(weights), textField, Arrays.hashCode(contentVector), popularityField, models);
    }
}

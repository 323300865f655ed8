package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.serving.ModelUser;
import org.recsys.core.fusion.Fusion;
import org.recsys.core.fusion.FusionNet;
import org.recsys.core.fusion.WeightedSum;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the fused score reads besides the user: the weights (one per feature, in {@code FusionFeature} order), or
 * none for the learned fusion stored with the model's version; the items' text vector field and the user's content
 * profile when given; the numeric field holding each item's interaction count; and other models whose scores for
 * the user join the sum with their weights.
 */
public record FusionRequest(
    @Nullable double[] weights,
    @Nullable String textField,
    @Nullable float[] contentVector,
    @Nullable String popularityField,
    List<ModelWeight> models
) implements Writeable, ToXContentFragment {

    public static final int MAX_MODELS = 8;

    public FusionRequest {
        if (weights != null) {
            new WeightedSum(weights);
        }
        if (models.size() > MAX_MODELS) {
            throw new IllegalArgumentException("[models] names " + models.size() + " models; at most " + MAX_MODELS + " are accepted");
        }
        if (models.stream().map(ModelWeight::model).distinct().count() < models.size()) {
            throw new IllegalArgumentException("[models] names a model more than once: " + models.stream().map(ModelWeight::model).toList());
        }
    }

    public FusionRequest(StreamInput in) throws IOException {
        this(
            in.readBoolean() ? in.readDoubleArray() : null,
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

    /** {@code weighted_sum}, or {@code learned}: the network stored with the model's version. */
    public String type() {
        return weights == null ? FusionNet.TYPE : WeightedSum.TYPE;
    }

    /**
     * The fusion for the version {@code model} was resolved against; a learned fusion that the version does not have
     * is an error that says how to get one.
     */
    public Fusion fusion(ModelUser model) {
        if (weights != null) {
            return new WeightedSum(weights);
        }
        if (model.learnedFusion() == null) {
            throw new IllegalArgumentException(
                "version [" + model.version() + "] of model [" + model.modelId() + "] has no learned fusion; train it with [fusion], or give [weights]"
            );
        }
        return FusionNet.fromFloats(model.learnedFusion());
    }

    /**
     * The fusion fields of a request body ({@code type}, {@code weights}, {@code text_field}, {@code content_vector},
     * {@code popularity_field}, {@code models}); errors name them under {@code prefix}. Other fields of the body are
     * the caller's. Without {@code text_field}, the content feature reads the field the model's content profiles
     * were made from; without {@code popularity_field}, popularity reads the counts the model's training wrote.
     */
    public static FusionRequest parse(Map<String, Object> map, String prefix) {
        Object type = map.getOrDefault("type", WeightedSum.TYPE);
        double[] weights;
        if (WeightedSum.TYPE.equals(type)) {
            weights = numbers(map.get("weights"), prefix, "weights");
        } else if (FusionNet.TYPE.equals(type)) {
            if (map.containsKey("weights")) {
                throw new IllegalArgumentException("[" + prefix + ".weights] is given with [type] [learned]; a learned fusion has no weights");
            }
            weights = null;
        } else {
            throw new IllegalArgumentException("[" + prefix + ".type] is [" + type + "]; expected [weighted_sum] or [learned]");
        }
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
        out.writeBoolean(weights != null);
        if (weights != null) {
            out.writeDoubleArray(weights);
        }
        out.writeOptionalString(textField);
        out.writeOptionalFloatArray(contentVector);
        out.writeOptionalString(popularityField);
        out.writeCollection(models);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        if (weights == null) {
            builder.field("type", FusionNet.TYPE);
        } else {
            builder.array("weights", weights);
        }
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

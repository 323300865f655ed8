package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.AbstractObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.fusion.Fusion;
import org.recsys.core.fusion.FusionNet;
import org.recsys.core.fusion.WeightedSum;
import org.recsys.plugin.serving.ModelUser;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

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
            throw new IllegalArgumentException(
                "[models] names a model more than once: " + models.stream().map(ModelWeight::model).toList()
            );
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
                "version ["
                    + model.version()
                    + "] of model ["
                    + model.modelId()
                    + "] has no learned fusion; train it with [fusion], or give [weights]"
            );
        }
        return FusionNet.fromFloats(model.learnedFusion());
    }

    /**
     * Declares the fusion fields ({@code type}, {@code weights}, {@code text_field}, {@code content_vector},
     * {@code popularity_field}, {@code models}) on the parser of a body that carries them beside its own fields (the
     * rescorer's, {@code _recommend}'s {@code fusion}, the {@code fused} script's params); each value goes to the
     * {@link Builder} that {@code fusion} gives. Without {@code text_field}, the content feature reads the field the
     * model's content profiles were made from; without {@code popularity_field}, popularity reads the counts the
     * model's training wrote.
     */
    public static <T> void declareFields(AbstractObjectParser<T, Void> parser, Function<T, Builder> fusion) {
        parser.declareString((t, v) -> fusion.apply(t).type = v, new ParseField("type"));
        parser.declareDoubleArray(
            (t, v) -> fusion.apply(t).weights = v.stream().mapToDouble(Double::doubleValue).toArray(),
            new ParseField("weights")
        );
        parser.declareString((t, v) -> fusion.apply(t).textField = v, new ParseField("text_field"));
        parser.declareFloatArray((t, v) -> fusion.apply(t).contentVector = v, new ParseField("content_vector"));
        parser.declareString((t, v) -> fusion.apply(t).popularityField = v, new ParseField("popularity_field"));
        parser.declareObjectArray((t, v) -> fusion.apply(t).models = v, ModelWeight.PARSER, new ParseField("models"));
    }

    /** The fusion fields of one body as they were sent; {@link #build} checks them together. */
    public static final class Builder {
        private String type = WeightedSum.TYPE;
        private double[] weights;
        private String textField;
        private List<Float> contentVector;
        private String popularityField;
        private List<ModelWeight> models = List.of();

        /** @param prefix where the fields are in the body, named in errors */
        public FusionRequest build(String prefix) {
            if (WeightedSum.TYPE.equals(type)) {
                if (weights == null) {
                    throw new IllegalArgumentException("[" + prefix + ".weights] is required for [type] [" + WeightedSum.TYPE + "]");
                }
            } else if (FusionNet.TYPE.equals(type)) {
                if (weights != null) {
                    throw new IllegalArgumentException(
                        "[" + prefix + ".weights] is given with [type] [learned]; a learned fusion has no weights"
                    );
                }
            } else {
                throw new IllegalArgumentException("[" + prefix + ".type] is [" + type + "]; expected [weighted_sum] or [learned]");
            }
            float[] content = null;
            if (contentVector != null) {
                content = new float[contentVector.size()];
                for (int i = 0; i < content.length; i++) {
                    content[i] = contentVector.get(i);
                }
            }
            return new FusionRequest(
                weights,
                fieldName(textField, prefix + ".text_field"),
                content,
                fieldName(popularityField, prefix + ".popularity_field"),
                models
            );
        }

        private static String fieldName(String value, String name) {
            return value == null ? null : BodyParsing.nonEmpty(name, value);
        }
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

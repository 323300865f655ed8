package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.melu.FeatureField;
import org.recsys.core.melu.FeatureSchema;
import org.recsys.core.melu.MeluParams;
import org.recsys.plugin.util.ParamsObject;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * What {@code _train} asks of a {@code melu} model: the ratings (the interactions' weight field, ordered by their
 * timestamp field), the item documents with the item features and the field base name where each item's embedded
 * features are written, optionally the user documents with the user features, and the MeLU parameters (the tuned
 * defaults of {@link MeluParams#defaults()} for anything not given).
 */
public record MeluTrainingSpec(
    String modelId,
    InteractionSource interactions,
    FeatureSource items,
    String itemVectorField,
    @Nullable FeatureSource users,
    MeluParams params
) implements TrainingSpec {

    public static final String MELU = "melu";
    /** The most dims a {@code dense_vector} field takes. */
    static final int MAX_DIMS = 4096;

    public MeluTrainingSpec {
        FactorTarget.checkVectorField(itemVectorField);
    }

    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>(MELU, Body::new);
    private static final ObjectParser<FeatureSource.Builder, Void> ITEMS = FeatureSource.parser("items", FeatureField.Side.ITEM, true);
    private static final ObjectParser<FeatureSource.Builder, Void> USERS = FeatureSource.parser("users", FeatureField.Side.USER, false);
    static {
        TrainingSpecs.declareType(PARSER);
        PARSER.declareObject((b, v) -> b.interactions = v, InteractionSource.PARSER, new ParseField("interactions"));
        PARSER.declareObject((b, v) -> b.items = v, ITEMS, new ParseField("items"));
        PARSER.declareObject((b, v) -> b.users = v, USERS, new ParseField("users"));
        PARSER.declareObject(
            (b, v) -> b.params = v,
            (p, c) -> ParamsObject.read(p, "params", Set.copyOf(MeluParams.NAMES)),
            new ParseField("params")
        );
        PARSER.declareRequiredFieldSet("interactions");
        PARSER.declareRequiredFieldSet("items");
    }

    /** The body as {@link #PARSER} reads it; {@code params}, whose names are core's, is read by name in {@link #parse}. */
    private static final class Body {
        private InteractionSource.Builder interactions;
        private FeatureSource.Builder items;
        private FeatureSource.Builder users;
        private ParamsObject params = ParamsObject.empty("params");
    }

    /** See {@link TrainingSpecs#parse}, which checks the model id and the type. */
    static MeluTrainingSpec parse(String modelId, XContentParser parser, int defaultThreads) throws IOException {
        Body body = PARSER.parse(parser, null);
        InteractionSource interactions = body.interactions.build();
        if (interactions.weightField() == null) {
            throw new IllegalArgumentException("[interactions.weight_field] is required: a melu model learns from ratings");
        }
        if (interactions.timestampField() == null) {
            throw new IllegalArgumentException(
                "[interactions.timestamp_field] is required: a melu model orders each user's ratings by time"
            );
        }
        FeatureSource itemSource = body.items.build("items");
        FeatureSource userSource = body.users == null ? null : body.users.build("users");
        MeluParams params = params(body.params, defaultThreads);
        MeluTrainingSpec spec =
            new MeluTrainingSpec(modelId, interactions, itemSource, body.items.vectorField(modelId + "_embedding"), userSource, params);
        int dims = spec.schema().of(FeatureField.Side.ITEM).size() * params.embeddingDim();
        if (dims > MAX_DIMS) {
            throw new IllegalArgumentException(
                "items' vectors would have " + dims + " dims (item features × [embedding_dim]); a dense_vector holds at most " + MAX_DIMS
            );
        }
        return spec;
    }

    private static MeluParams params(ParamsObject p, int defaultThreads) {
        return MeluParams.from(name -> name.equals("threads") && p.has(name) == false ? String.valueOf(defaultThreads) : p.scalar(name));
    }

    public MeluTrainingSpec(StreamInput in) throws IOException {
        this((MeluTrainingSpec) TrainingSpecs.parse(in.readString(), in.readGenericMap(), 1));
    }

    private MeluTrainingSpec(MeluTrainingSpec parsed) {
        this(parsed.modelId, parsed.interactions, parsed.items, parsed.itemVectorField, parsed.users, parsed.params);
    }

    /** The request as it parses: one place that reads it, over the wire too. */
    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        out.writeGenericMap(TrainingSpecs.toMap(this));
    }

    @Override
    public String getWriteableName() {
        return MELU;
    }

    /** The model's features in input order: the users', then the items'. */
    public FeatureSchema schema() {
        return FeatureSchema.of(users == null ? List.of() : users.fields(), items.fields());
    }

    /** Where the items' embedded features are written: two alternating slot fields of the item documents. */
    public FactorTarget itemTarget() {
        return new FactorTarget(items.index(), items.idField(), itemVectorField);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        builder.field("type", MELU);
        builder.startObject("interactions");
        interactions.toXContent(builder, p);
        builder.endObject().startObject("items");
        items.toXContent(builder, p);
        builder.field("vector_field", itemVectorField).endObject();
        if (users != null) {
            builder.startObject("users");
            users.toXContent(builder, p);
            builder.endObject();
        }
        return builder.startObject("params")
            .field("embedding_dim", params.embeddingDim())
            .field("hidden1", params.hidden1())
            .field("hidden2", params.hidden2())
            .field("local_steps", params.localSteps())
            .field("local_lr", params.localLr())
            .field("global_lr", params.globalLr())
            .field("batch_size", params.batchSize())
            .field("epochs", params.epochs())
            .field("meta_gradient", params.metaGradient().id())
            .field("max_support", params.maxSupport())
            .field("min_rating", params.minRating())
            .field("max_rating", params.maxRating())
            .field("threads", params.threads())
            .field("seed", params.seed())
            .endObject();
    }

    @Override
    public int threads() {
        return params.threads();
    }
}

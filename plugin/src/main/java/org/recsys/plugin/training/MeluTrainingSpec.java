package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.melu.FeatureField;
import org.recsys.core.melu.FeatureSchema;
import org.recsys.core.melu.MeluParams;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    static final Set<String> FIELDS = Set.of("type", "interactions", "items", "users", "params");
    static final Set<String> ITEM_FIELDS = Set.of("index", "id_field", "vector_field", "features");
    static final Set<String> USER_FIELDS = Set.of("index", "id_field", "features");

    /** The most dims a {@code dense_vector} field takes. */
    static final int MAX_DIMS = 4096;

    public MeluTrainingSpec {
        FactorTarget.checkVectorField(itemVectorField);
    }

    /** See {@link TrainingSpecs#parse}, which checks the model id and the type. */
    static MeluTrainingSpec parse(String modelId, Map<String, Object> map, int defaultThreads) {
        RequestBody body = RequestBody.of(map, FIELDS);
        InteractionSource interactions = InteractionSource.parse(body.requiredObject("interactions", InteractionSource.FIELDS));
        if (interactions.weightField() == null) {
            throw new IllegalArgumentException("[interactions.weight_field] is required: a melu model learns from ratings");
        }
        if (interactions.timestampField() == null) {
            throw new IllegalArgumentException("[interactions.timestamp_field] is required: a melu model orders each user's ratings by time");
        }
        RequestBody items = body.requiredObject("items", ITEM_FIELDS);
        FeatureSource itemSource = FeatureSource.parse(items, FeatureField.Side.ITEM);
        FeatureSource userSource = body.has("users") ? FeatureSource.parse(body.object("users", USER_FIELDS), FeatureField.Side.USER) : null;
        MeluParams params = params(body.object("params", new HashSet<>(MeluParams.NAMES)), defaultThreads);
        MeluTrainingSpec spec = new MeluTrainingSpec(modelId, interactions, itemSource, items.string("vector_field", modelId + "_embedding"), userSource, params);
        int dims = spec.schema().of(FeatureField.Side.ITEM).size() * params.embeddingDim();
        if (dims > MAX_DIMS) {
            throw new IllegalArgumentException(
                "items' vectors would have " + dims + " dims (item features × [embedding_dim]); a dense_vector holds at most " + MAX_DIMS
            );
        }
        return spec;
    }

    private static MeluParams params(RequestBody p, int defaultThreads) {
        return MeluParams.from(name -> name.equals("threads") && p.has(name) == false ? String.valueOf(defaultThreads) : p.scalar(name));
    }

    public MeluTrainingSpec(StreamInput in) throws IOException {
        this(parse(in.readString(), in.readGenericMap(), 1));
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

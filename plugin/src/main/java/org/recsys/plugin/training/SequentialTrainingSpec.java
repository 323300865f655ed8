package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.sequential.SequentialParams;
import org.recsys.plugin.util.ParamsObject;

import java.io.IOException;
import java.util.Set;

/**
 * What {@code _train} asks of a {@code sequential} model (core's masked-item transformer): the interactions with the
 * timestamp that orders each user's items, where the item vectors {@code [v, b]} are written, and the model's
 * parameters (core's {@link SequentialParams#defaults()} for anything not given) with PyTorch's thread count.
 */
public record SequentialTrainingSpec(
    String modelId,
    InteractionSource interactions,
    FactorTarget items,
    SequentialParams params,
    int threads
) implements TrainingSpec {

    public static final String SEQUENTIAL = "sequential";
    static final Set<String> PARAMS = Set.of(
        "hidden",
        "layers",
        "heads",
        "max_length",
        "mask_probability",
        "every_masked",
        "dropout",
        "learning_rate",
        "weight_decay",
        "batch_size",
        "max_epochs",
        "patience",
        "seed",
        "causal",
        "negatives",
        "threads"
    );
    /** Upper bounds that keep one request from asking for more memory or time than a node has. */
    static final int MAX_HIDDEN = 1024;
    static final int MAX_LAYERS = 12;
    static final int MAX_LENGTH = 2048;
    static final int MAX_BATCH = 4096;
    static final int MAX_EPOCHS = 10_000;
    static final int MAX_THREADS = 256;
    static final int MAX_NEGATIVES = 1_000_000;

    public SequentialTrainingSpec {
        if (interactions.timestampField() == null) {
            throw new IllegalArgumentException(
                "[interactions.timestamp_field] is required for a [" + SEQUENTIAL + "] model: it orders each user's interactions"
            );
        }
        if (interactions.weightField() != null) {
            throw new IllegalArgumentException(
                "[interactions.weight_field] is not used by a ["
                    + SEQUENTIAL
                    + "] model, which learns the order of interactions, not their "
                    + "weights; leave it out (select interactions with [interactions.query])"
            );
        }
        within("hidden", params.hidden(), 1, MAX_HIDDEN);
        within("layers", params.layers(), 1, MAX_LAYERS);
        within("heads", params.heads(), 1, params.hidden());
        within("max_length", params.maxLength(), 2, MAX_LENGTH);
        within("batch_size", params.batchSize(), 1, MAX_BATCH);
        within("max_epochs", params.maxEpochs(), 1, MAX_EPOCHS);
        within("patience", params.patience(), 1, MAX_EPOCHS);
        within("negatives", params.negatives(), 0, MAX_NEGATIVES);
        within("threads", threads, 1, MAX_THREADS);
    }

    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>(SEQUENTIAL, Body::new);
    private static final ObjectParser<FactorTarget.Builder, Void> ITEMS = FactorTarget.parser("items");
    static {
        TrainingSpecs.declareType(PARSER);
        PARSER.declareObject((b, v) -> b.interactions = v, InteractionSource.PARSER, new ParseField("interactions"));
        PARSER.declareObject((b, v) -> b.items = v, ITEMS, new ParseField("items"));
        PARSER.declareObject((b, v) -> b.params = v, (p, c) -> ParamsObject.read(p, "params", PARAMS), new ParseField("params"));
        PARSER.declareRequiredFieldSet("interactions");
        PARSER.declareRequiredFieldSet("items");
    }

    /** The body as {@link #PARSER} reads it; {@code params}, whose names are core's, is read by name in {@link #parse}. */
    private static final class Body {
        private InteractionSource.Builder interactions;
        private FactorTarget.Builder items;
        private ParamsObject params = ParamsObject.empty("params");
    }

    /** See {@link TrainingSpecs#parse}, which checks the model id and the type. */
    static SequentialTrainingSpec parse(String modelId, XContentParser parser, int defaultThreads) throws IOException {
        Body body = PARSER.parse(parser, null);
        InteractionSource interactions = body.interactions.build();
        FactorTarget items = body.items.build(modelId + "_factor");
        ParamsObject p = body.params;
        SequentialParams d = SequentialParams.defaults();
        SequentialParams params = SequentialParams.builder()
            .hidden(p.integer("hidden", d.hidden()))
            .layers(p.integer("layers", d.layers()))
            .heads(p.integer("heads", d.heads()))
            .maxLength(p.integer("max_length", d.maxLength()))
            .maskProbability(p.number("mask_probability", d.maskProbability()))
            .everyMasked(p.bool("every_masked", d.everyMasked()))
            .dropout(p.number("dropout", d.dropout()))
            .learningRate(p.number("learning_rate", d.learningRate()))
            .weightDecay(p.number("weight_decay", d.weightDecay()))
            .batchSize(p.integer("batch_size", d.batchSize()))
            .maxEpochs(p.integer("max_epochs", d.maxEpochs()))
            .patience(p.integer("patience", d.patience()))
            .seed(p.longValue("seed", d.seed()))
            .causal(p.bool("causal", d.causal()))
            .negatives(p.integer("negatives", d.negatives()))
            .build();
        return new SequentialTrainingSpec(modelId, interactions, items, params, p.integer("threads", defaultThreads));
    }

    private static void within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("[params." + name + "] is [" + value + "]; it must be between " + min + " and " + max);
        }
    }

    public SequentialTrainingSpec(StreamInput in) throws IOException {
        this(
            in.readString(),
            new InteractionSource(in),
            new FactorTarget(in),
            SequentialParams.builder()
                .hidden(in.readVInt())
                .layers(in.readVInt())
                .heads(in.readVInt())
                .maxLength(in.readVInt())
                .maskProbability(in.readFloat())
                .everyMasked(in.readBoolean())
                .dropout(in.readFloat())
                .learningRate(in.readFloat())
                .weightDecay(in.readFloat())
                .batchSize(in.readVInt())
                .maxEpochs(in.readVInt())
                .patience(in.readVInt())
                .seed(in.readLong())
                .causal(in.readBoolean())
                .negatives(in.readVInt())
                .build(),
            in.readVInt()
        );
    }

    @Override
    public String getWriteableName() {
        return SEQUENTIAL;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        interactions.writeTo(out);
        items.writeTo(out);
        out.writeVInt(params.hidden());
        out.writeVInt(params.layers());
        out.writeVInt(params.heads());
        out.writeVInt(params.maxLength());
        out.writeFloat(params.maskProbability());
        out.writeBoolean(params.everyMasked());
        out.writeFloat(params.dropout());
        out.writeFloat(params.learningRate());
        out.writeFloat(params.weightDecay());
        out.writeVInt(params.batchSize());
        out.writeVInt(params.maxEpochs());
        out.writeVInt(params.patience());
        out.writeLong(params.seed());
        out.writeBoolean(params.causal());
        out.writeVInt(params.negatives());
        out.writeVInt(threads);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        builder.field("type", SEQUENTIAL);
        builder.startObject("interactions");
        interactions.toXContent(builder, p);
        builder.endObject().startObject("items");
        items.toXContent(builder, p);
        builder.endObject();
        return builder.startObject("params")
            .field("hidden", params.hidden())
            .field("layers", params.layers())
            .field("heads", params.heads())
            .field("max_length", params.maxLength())
            .field("mask_probability", params.maskProbability())
            .field("every_masked", params.everyMasked())
            .field("dropout", params.dropout())
            .field("learning_rate", params.learningRate())
            .field("weight_decay", params.weightDecay())
            .field("batch_size", params.batchSize())
            .field("max_epochs", params.maxEpochs())
            .field("patience", params.patience())
            .field("seed", params.seed())
            .field("causal", params.causal())
            .field("negatives", params.negatives())
            .field("threads", threads)
            .endObject();
    }
}

package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.tuning.SearchSpace;
import org.recsys.core.wals.Confidence;
import org.recsys.core.wals.Solver;
import org.recsys.core.wals.WalsParams;
import org.recsys.plugin.util.ParamsObject;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * What {@code _train} asks of a {@code wals} model: where the interactions are read, where item and user factors are
 * written, the WALS parameters (the tuned defaults of {@link WalsParams#defaults()} for anything not given) and,
 * optionally, the cold-start projection to fit, the users' content profiles to write, the learned fusion to fit and a
 * search for the parameters that {@code params} leaves open ({@code tune}).
 */
public record WalsTrainingSpec(
    String modelId,
    InteractionSource interactions,
    FactorTarget items,
    FactorTarget users,
    WalsParams params,
    @Nullable ProjectionSpec projection,
    @Nullable ContentSpec content,
    @Nullable FusionSpec fusion,
    @Nullable WalsTuneSpec tune
) implements TrainingSpec {

    public static final String WALS = "wals";
    static final Set<String> PARAMS = Set.of(
        "rank",
        "iterations",
        "lambda",
        "alpha",
        "confidence",
        "epsilon",
        "w0",
        "user_weight_exponent",
        "user_lambda_exponent",
        "solver",
        "cg_steps",
        "threads",
        "seed"
    );

    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>(WALS, Body::new);
    private static final ObjectParser<FactorTarget.Builder, Void> ITEMS = FactorTarget.parser("items");
    private static final ObjectParser<FactorTarget.Builder, Void> USERS = FactorTarget.parser("users");
    static {
        TrainingSpecs.declareType(PARSER);
        PARSER.declareObject((b, v) -> b.interactions = v, InteractionSource.PARSER, new ParseField("interactions"));
        PARSER.declareObject((b, v) -> b.items = v, ITEMS, new ParseField("items"));
        PARSER.declareObject((b, v) -> b.users = v, USERS, new ParseField("users"));
        PARSER.declareObject((b, v) -> b.projection = v, ProjectionSpec.PARSER, new ParseField("projection"));
        PARSER.declareObject((b, v) -> b.content = v, ContentSpec.PARSER, new ParseField("content"));
        PARSER.declareObject((b, v) -> b.fusion = v, (p, c) -> ParamsObject.read(p, "fusion", FusionSpec.FIELDS), new ParseField("fusion"));
        PARSER.declareObject((b, v) -> b.params = v, (p, c) -> ParamsObject.read(p, "params", PARAMS), new ParseField("params"));
        PARSER.declareObject(
            (b, v) -> b.tune = v,
            (p, c) -> ParamsObject.read(p, WalsTuneSpec.PATH, WalsTuneSpec.FIELDS),
            new ParseField("tune")
        );
        PARSER.declareRequiredFieldSet("interactions");
        PARSER.declareRequiredFieldSet("items");
        PARSER.declareRequiredFieldSet("users");
    }

    /** The body as {@link #PARSER} reads it; the blocks whose names are core's are read by name in {@link #parse}. */
    private static final class Body {
        private InteractionSource.Builder interactions;
        private FactorTarget.Builder items;
        private FactorTarget.Builder users;
        private ProjectionSpec projection;
        private ContentSpec content;
        private ParamsObject fusion;
        private ParamsObject params = ParamsObject.empty("params");
        private ParamsObject tune;
    }

    /** See {@link TrainingSpecs#parse}, which checks the model id and the type. */
    static WalsTrainingSpec parse(String modelId, XContentParser parser, int defaultThreads) throws IOException {
        Body body = PARSER.parse(parser, null);
        InteractionSource interactions = body.interactions.build();
        String defaultField = modelId + "_factor";
        FactorTarget items = body.items.build(defaultField);
        FactorTarget users = body.users.build(defaultField);
        ProjectionSpec projection = body.projection;
        ContentSpec content = body.content;
        FusionSpec fusion = body.fusion != null ? FusionSpec.parse(body.fusion, content != null, projection != null) : null;
        if (fusion != null && content == null && fusion.uses(FusionFeature.CONTENT)) {
            throw new IllegalArgumentException(
                "[fusion.features] names [content]; give [content.text_field], the items' text vector field, too"
            );
        }
        if (fusion != null
            && projection != null
            && content != null
            && fusion.uses(FusionFeature.CONTENT)
            && content.textField().equals(projection.textField()) == false) {
            // The hybrid fusion's carve-out reads one text vector per item for both its projection and content profiles.
            throw new IllegalArgumentException(
                "[content.text_field] is ["
                    + content.textField()
                    + "] and [projection.text_field] is ["
                    + projection.textField()
                    + "]; a fusion that reads [content] beside [projection] needs them to be the same field"
            );
        }
        if (projection != null && projection.factorField() != null && body.tune != null) {
            // A fine-tuned encoder's factors are in the space of the model it was tuned on: parameters a search picks
            // would train another one.
            throw new IllegalArgumentException(
                "[projection.factor_field] holds factors fitted to one model's space and cannot be combined with [tune]; "
                    + "train with the parameters the encoder was fine-tuned on"
            );
        }
        ParamsObject params = body.params;
        WalsTuneSpec tune = null;
        if (body.tune != null) {
            Set<String> fixed = new HashSet<>();
            for (String name : SearchSpace.NAMES) {
                if (params.has(name)) {
                    fixed.add(name);
                }
            }
            tune = WalsTuneSpec.parse(body.tune, fixed);
        }
        return new WalsTrainingSpec(modelId, interactions, items, users, params(params, defaultThreads), projection, content, fusion, tune);
    }

    /** The same training with the parameters a search chose, and no search left to run. */
    WalsTrainingSpec tuned(WalsParams chosen) {
        return new WalsTrainingSpec(modelId, interactions, items, users, chosen, projection, content, fusion, null);
    }

    static WalsParams params(ParamsObject p, int defaultThreads) {
        return WalsParams.from(p, defaultThreads);
    }

    public WalsTrainingSpec(StreamInput in) throws IOException {
        this(
            in.readString(),
            new InteractionSource(in),
            new FactorTarget(in),
            new FactorTarget(in),
            readParams(in),
            in.readOptionalWriteable(ProjectionSpec::new),
            in.readOptionalWriteable(ContentSpec::new),
            in.readOptionalWriteable(FusionSpec::new),
            in.readOptionalWriteable(WalsTuneSpec::new)
        );
    }

    @Override
    public String getWriteableName() {
        return WALS;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        interactions.writeTo(out);
        items.writeTo(out);
        users.writeTo(out);
        out.writeVInt(params.rank());
        out.writeVInt(params.iterations());
        out.writeFloat(params.lambda());
        out.writeFloat(params.alpha());
        out.writeString(params.confidence().id());
        out.writeFloat(params.epsilon());
        out.writeFloat(params.w0());
        out.writeFloat(params.userWeightExponent());
        out.writeFloat(params.userLambdaExponent());
        out.writeString(params.solver().id());
        out.writeVInt(params.cgSteps());
        out.writeVInt(params.threads());
        out.writeLong(params.seed());
        out.writeOptionalWriteable(projection);
        out.writeOptionalWriteable(content);
        out.writeOptionalWriteable(fusion);
        out.writeOptionalWriteable(tune);
    }

    private static WalsParams readParams(StreamInput in) throws IOException {
        return WalsParams.builder()
            .rank(in.readVInt())
            .iterations(in.readVInt())
            .lambda(in.readFloat())
            .alpha(in.readFloat())
            .confidence(Confidence.fromId(in.readString()))
            .epsilon(in.readFloat())
            .w0(in.readFloat())
            .userWeightExponent(in.readFloat())
            .userLambdaExponent(in.readFloat())
            .solver(Solver.fromId(in.readString()))
            .cgSteps(in.readVInt())
            .threads(in.readVInt())
            .seed(in.readLong())
            .build();
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        builder.field("type", WALS);
        builder.startObject("interactions");
        interactions.toXContent(builder, p);
        builder.endObject().startObject("items");
        items.toXContent(builder, p);
        builder.endObject().startObject("users");
        users.toXContent(builder, p);
        builder.endObject();
        if (projection != null) {
            builder.startObject("projection");
            projection.toXContent(builder, p);
            builder.endObject();
        }
        if (content != null) {
            builder.startObject("content");
            content.toXContent(builder, p);
            builder.endObject();
        }
        if (fusion != null) {
            builder.startObject("fusion");
            fusion.toXContent(builder, p);
            builder.endObject();
        }
        if (tune != null) {
            builder.startObject("tune");
            tune.toXContent(builder, p);
            builder.endObject();
        }
        // With a search, only the parameters the request fixed: the chosen ones are in the version's metrics.
        Set<String> searched = tune == null ? Set.of() : tune.searchSpace().values(params).keySet();
        builder.startObject("params");
        field(builder, searched, "rank", params.rank());
        field(builder, searched, "iterations", params.iterations());
        field(builder, searched, "lambda", params.lambda());
        field(builder, searched, "alpha", params.alpha());
        field(builder, searched, "confidence", params.confidence().id());
        field(builder, searched, "epsilon", params.epsilon());
        field(builder, searched, "w0", params.w0());
        field(builder, searched, "user_weight_exponent", params.userWeightExponent());
        field(builder, searched, "user_lambda_exponent", params.userLambdaExponent());
        return builder.field("solver", params.solver().id())
            .field("cg_steps", params.cgSteps())
            .field("threads", params.threads())
            .field("seed", params.seed())
            .endObject();
    }

    private static void field(XContentBuilder builder, Set<String> searched, String name, Object value) throws IOException {
        if (searched.contains(name) == false) {
            builder.field(name, value);
        }
    }

    @Override
    public int threads() {
        return params.threads();
    }
}

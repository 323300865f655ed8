package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionTrainer;
import org.recsys.core.fusion.HybridFusion;
import org.recsys.core.fusion.LearnedFusion;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.plugin.util.ParamsObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The opt-in learned fusion step of {@code _train} (core {@link LearnedFusion}): a share of each user's items is held
 * out at random, a WALS of the rest ranks each user's {@code window} candidates, and a one-hidden-layer network
 * learns to reorder them from the features it names; the network and its validation NDCG are stored with the version.
 * With the training's {@code projection}, the fusion is the hybrid one (core {@link HybridFusion}): a
 * {@code cold_fraction} of the items become pseudo-cold in the carve-out, {@code reserved} projected items join each
 * user's window, and the offset on projected items keeps {@code warm_floor} of the known items' NDCG.
 */
public record FusionSpec(double holdout, LearnedFusion.Params params, int reserved, double warmFloor, double coldFraction)
    implements
        Writeable,
        ToXContentFragment {

    static final Set<String> FIELDS = Set.of(
        "features",
        "holdout",
        "window",
        "hidden",
        "epochs",
        "learning_rate",
        "negatives",
        "seed",
        "reserved",
        "warm_floor",
        "cold_fraction"
    );
    static final Set<String> HYBRID_FIELDS = Set.of("reserved", "warm_floor", "cold_fraction");
    static final double DEFAULT_HOLDOUT = 0.2;

    public FusionSpec {
        FusionFeature[] features = params.trainer().inputs();
        if (features.length == 0) {
            throw new IllegalArgumentException("[fusion.features] is empty; name at least one of " + FusionFeature.ids());
        }
        if (Arrays.asList(features).contains(FusionFeature.FIRST_PHASE)) {
            // The first phase is the collaborative score itself here (knn on the factors), so it adds nothing to learn from.
            throw new IllegalArgumentException("[fusion.features] may not name [first_phase]; it is the collaborative score's order");
        }
        if ((holdout > 0 && holdout < 1) == false) {
            throw new IllegalArgumentException("[fusion.holdout] is [" + holdout + "]; it must be a fraction between 0 and 1 (exclusive)");
        }
        FusionTrainer.Params t = params.trainer();
        check(params.window() >= 2 && params.window() <= 10_000, "window", params.window(), "between 2 and 10000");
        check(t.hidden() >= 1 && t.hidden() <= 1024, "hidden", t.hidden(), "between 1 and 1024");
        check(t.epochs() >= 1 && t.epochs() <= 1000, "epochs", t.epochs(), "between 1 and 1000");
        check(t.learningRate() > 0 && Double.isFinite(t.learningRate()), "learning_rate", t.learningRate(), "positive");
        check(t.negatives() >= 1 && t.negatives() <= 100, "negatives", t.negatives(), "between 1 and 100");
        check(reserved >= 0 && reserved <= 10_000, "reserved", reserved, "between 0 and 10000");
        check(warmFloor >= 0 && warmFloor <= 1, "warm_floor", warmFloor, "between 0 and 1");
        check(
            coldFraction >= 0 && coldFraction < 1,
            "cold_fraction",
            coldFraction,
            "a fraction between 0 (the catalogue's share of new arrivals) and 1 (exclusive)"
        );
    }

    /** The hybrid fusion's parameters, with the training's projection. */
    public HybridFusion.Params hybrid(ProjectionParams projection) {
        return new HybridFusion.Params(coldFraction, holdout, reserved, warmFloor, projection, params);
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (ok == false) {
            throw new IllegalArgumentException("[fusion." + name + "] is [" + value + "]; it must be " + expected);
        }
    }

    /**
     * @param withContent    whether the training has content profiles, so that the content feature is a default
     * @param withProjection whether the training projects items without interactions, so that the fusion is the hybrid one
     */
    static FusionSpec parse(ParamsObject body, boolean withContent, boolean withProjection) {
        LearnedFusion.Params d = withProjection ? HybridFusion.Params.defaults().fusion() : LearnedFusion.Params.defaults();
        HybridFusion.Params h = HybridFusion.Params.defaults();
        FusionTrainer.Params t = d.trainer();
        List<String> named = body.strings("features");
        List<FusionFeature> defaults = new ArrayList<>(List.of(FusionFeature.COLLABORATIVE));
        if (withContent) {
            defaults.add(FusionFeature.CONTENT);
        }
        defaults.add(FusionFeature.POPULARITY);
        if (withProjection) {
            defaults.add(FusionFeature.PROJECTED);
        }
        FusionFeature[] features = named.isEmpty()
            ? defaults.toArray(FusionFeature[]::new)
            : named.stream().map(FusionFeature::fromId).distinct().toArray(FusionFeature[]::new);
        if (withProjection == false) {
            for (String field : HYBRID_FIELDS) {
                if (body.has(field)) {
                    throw new IllegalArgumentException(
                        "[fusion." + field + "] needs [projection]: it is a setting of the fusion of projected and trained items"
                    );
                }
            }
            if (Arrays.asList(features).contains(FusionFeature.PROJECTED)) {
                throw new IllegalArgumentException(
                    "[fusion.features] names [projected]; it needs [projection], which gives items without interactions a factor"
                );
            }
        } else if (Arrays.asList(features).contains(FusionFeature.PROJECTED) == false) {
            throw new IllegalArgumentException(
                "[fusion.features] must name [projected] with [projection]: the offset that guards the known items acts on it"
            );
        }
        FusionTrainer.Params trainer = new FusionTrainer.Params(
            features,
            body.integer("hidden", t.hidden()),
            body.integer("epochs", t.epochs()),
            body.number("learning_rate", (float) t.learningRate()),
            body.integer("negatives", t.negatives()),
            t.batch(),
            body.longValue("seed", t.seed())
        );
        return new FusionSpec(
            body.number("holdout", (float) DEFAULT_HOLDOUT),
            new LearnedFusion.Params(body.integer("window", d.window()), d.k(), d.validationFraction(), trainer),
            body.integer("reserved", h.reserved()),
            body.number("warm_floor", (float) h.warmFloor()),
            body.number("cold_fraction", (float) h.coldFraction())
        );
    }

    public FusionSpec(StreamInput in) throws IOException {
        this(in.readDouble(), readParams(in), in.readVInt(), in.readDouble(), in.readDouble());
    }

    private static FusionFeature[] readFeatures(StreamInput in) throws IOException {
        return in.readCollectionAsList(i -> FusionFeature.values()[i.readVInt()]).toArray(FusionFeature[]::new);
    }

    private static LearnedFusion.Params readParams(StreamInput in) throws IOException {
        int window = in.readVInt();
        int k = in.readVInt();
        double validation = in.readDouble();
        FusionFeature[] inputs = readFeatures(in);
        FusionTrainer.Params t =
            new FusionTrainer.Params(inputs, in.readVInt(), in.readVInt(), in.readDouble(), in.readVInt(), in.readVInt(), in.readLong());
        return new LearnedFusion.Params(window, k, validation, t);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeDouble(holdout);
        out.writeVInt(params.window());
        out.writeVInt(params.k());
        out.writeDouble(params.validationFraction());
        FusionTrainer.Params t = params.trainer();
        writeFeatures(out, t.inputs());
        out.writeVInt(t.hidden());
        out.writeVInt(t.epochs());
        out.writeDouble(t.learningRate());
        out.writeVInt(t.negatives());
        out.writeVInt(t.batch());
        out.writeLong(t.seed());
        out.writeVInt(reserved);
        out.writeDouble(warmFloor);
        out.writeDouble(coldFraction);
    }

    private static void writeFeatures(StreamOutput out, FusionFeature[] features) throws IOException {
        out.writeCollection(Arrays.asList(features), (o, f) -> o.writeVInt(f.ordinal()));
    }

    public FusionFeature[] features() {
        return params.trainer().inputs();
    }

    public boolean uses(FusionFeature feature) {
        return Arrays.asList(features()).contains(feature);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        FusionTrainer.Params t = params.trainer();
        builder.array("features", Arrays.stream(features()).map(FusionFeature::id).toArray(String[]::new))
            .field("holdout", holdout)
            .field("window", params.window())
            .field("hidden", t.hidden())
            .field("epochs", t.epochs())
            .field("learning_rate", t.learningRate())
            .field("negatives", t.negatives())
            .field("seed", t.seed());
        // The hybrid settings exist only beside a projection, which the [projected] feature requires: a stored spec
        // then parses back as it was given.
        if (uses(FusionFeature.PROJECTED)) {
            builder.field("reserved", reserved).field("warm_floor", warmFloor).field("cold_fraction", coldFraction);
        }
        return builder;
    }

    /** Compared by value: the trainer's parameters hold an array. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FusionSpec f && sameAs(f);
    }

    private boolean sameAs(FusionSpec f) {
        FusionTrainer.Params a = params.trainer();
        FusionTrainer.Params b = f.params.trainer();
        return holdout == f.holdout
            && params.window() == f.params.window()
            && params.k() == f.params.k()
            && params.validationFraction() == f.params.validationFraction()
            && Arrays.equals(a.inputs(), b.inputs())
            && a.hidden() == b.hidden()
            && a.epochs() == b.epochs()
            && a.learningRate() == b.learningRate()
            && a.negatives() == b.negatives()
            && a.batch() == b.batch()
            && a.seed() == b.seed()
            && reserved == f.reserved
            && warmFloor == f.warmFloor
            && coldFraction == f.coldFraction;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(features()) * 31 + Double.hashCode(holdout);
    }
}

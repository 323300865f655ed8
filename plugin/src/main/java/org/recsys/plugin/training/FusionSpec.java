package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionTrainer;
import org.recsys.core.fusion.LearnedFusion;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The opt-in learned fusion step of {@code _train} (core {@link LearnedFusion}): a share of each user's items is held
 * out at random, a WALS of the rest ranks each user's {@code window} candidates, and a one-hidden-layer network
 * learns to reorder them from the features it names; the network and its validation NDCG are stored with the version.
 */
public record FusionSpec(double holdout, LearnedFusion.Params params) implements Writeable, ToXContentFragment {

    static final Set<String> FIELDS = Set.of("features", "holdout", "window", "hidden", "epochs", "learning_rate", "negatives", "seed");
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
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (ok == false) {
            throw new IllegalArgumentException("[fusion." + name + "] is [" + value + "]; it must be " + expected);
        }
    }

    /** @param withContent whether the training has content profiles, so that the content feature is a default */
    static FusionSpec parse(RequestBody body, boolean withContent) {
        LearnedFusion.Params d = LearnedFusion.Params.defaults();
        FusionTrainer.Params t = d.trainer();
        List<String> named = body.strings("features");
        FusionFeature[] features = named.isEmpty()
            ? (withContent
                ? new FusionFeature[] { FusionFeature.COLLABORATIVE, FusionFeature.CONTENT, FusionFeature.POPULARITY }
                : new FusionFeature[] { FusionFeature.COLLABORATIVE, FusionFeature.POPULARITY })
            : named.stream().map(FusionFeature::fromId).distinct().toArray(FusionFeature[]::new);
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
            new LearnedFusion.Params(body.integer("window", d.window()), d.k(), d.validationFraction(), trainer)
        );
    }

    public FusionSpec(StreamInput in) throws IOException {
        this(in.readDouble(), readParams(in));
    }

    private static FusionFeature[] readFeatures(StreamInput in) throws IOException {
        return in.readCollectionAsList(i -> FusionFeature.values()[i.readVInt()]).toArray(FusionFeature[]::new);
    }

    private static LearnedFusion.Params readParams(StreamInput in) throws IOException {
        int window = in.readVInt();
        int k = in.readVInt();
        double validation = in.readDouble();
        FusionFeature[] inputs = readFeatures(in);
        FusionTrainer.Params t = new FusionTrainer.Params(inputs, in.readVInt(), in.readVInt(), in.readDouble(), in.readVInt(), in.readVInt(), in.readLong());
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
        return builder.array("features", Arrays.stream(features()).map(FusionFeature::id).toArray(String[]::new))
            .field("holdout", holdout)
            .field("window", params.window())
            .field("hidden", t.hidden())
            .field("epochs", t.epochs())
            .field("learning_rate", t.learningRate())
            .field("negatives", t.negatives())
            .field("seed", t.seed());
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
            && a.seed() == b.seed();
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(features()) * 31 + Double.hashCode(holdout);
    }
}

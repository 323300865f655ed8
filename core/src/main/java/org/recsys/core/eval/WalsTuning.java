package org.recsys.core.eval;

import org.recsys.core.wals.Confidence;
import org.recsys.core.wals.WalsParams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hyperparameter search for WALS on a validation carve-out of the training rows only (25% of each user's rows,
 * as P1 holds out its test rows): a grid over weighting, confidence, rank, λ, α and w0, ranked by NDCG@10.
 */
public final class WalsTuning {

    /** One configuration and its validation metrics. */
    public record Trial(Weighting weighting, WalsParams params, Map<String, Double> metrics) {
        public double ndcg() {
            return metrics.get("ndcg@10");
        }

        @Override
        public String toString() {
            return String.format(
                Locale.ROOT,
                "weight=%s confidence=%s rank=%d lambda=%s alpha=%s w0=%s iterations=%d ndcg@10=%.4f precision@10=%.4f",
                weighting.id(),
                params.confidence().id(),
                params.rank(),
                params.lambda(),
                params.alpha(),
                params.w0(),
                params.iterations(),
                ndcg(),
                metrics.get("precision@10")
            );
        }
    }

    private WalsTuning() {}

    public static List<Trial> grid(List<Rating> train, WalsParams base, long seed, java.util.function.Consumer<Trial> progress) {
        Holdout.Split split = Holdout.perUser(train, 0.25, seed);
        List<Trial> trials = new ArrayList<>();
        for (Weighting weighting : Weighting.values()) {
            for (Confidence confidence : Confidence.values()) {
                for (int rank : new int[]{ 32, 64, 128 }) {
                    for (float lambda : new float[]{ 1f, 10f, 50f, 200f }) {
                        for (float alpha : new float[]{ 0.5f, 2f, 8f, 32f }) {
                            for (float w0 : new float[]{ 0.1f, 1f }) {
                                WalsParams p =
                                    base.toBuilder().confidence(confidence).rank(rank).lambda(lambda).alpha(alpha).w0(w0).build();
                                Trial t =
                                    new Trial(weighting, p, WalsRecommendations.evaluate(split.fit(), split.heldOut(), weighting, p, 10));
                                trials.add(t);
                                progress.accept(t);
                            }
                        }
                    }
                }
            }
        }
        trials.sort(Comparator.comparingDouble(Trial::ndcg).reversed());
        return trials;
    }
}

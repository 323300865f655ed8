package org.recsys.core.cli;

import org.recsys.core.eval.BaselineRecommendations;
import org.recsys.core.eval.BaselineRecommendations.Kind;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.util.SuppressForbidden;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The reference models of P1 and P3:
 * <pre>
 *   baseline --kind popularity|ease|transitions --train TRAIN.tsv [--valid VALID.tsv] --recs OUT.tsv [--k 10]
 *            [--lambda L] [--threads 2]
 * </pre>
 * Without VALID (P1): fitted on TRAIN, every user's top k of the items not in TRAIN. With VALID (P3): first fitted
 * on TRAIN and scored on VALID (printed), where EASE's lambda is chosen (the best NDCG@10 of {@link #LAMBDAS}, unless
 * --lambda fixes it); then fitted on TRAIN + VALID, every user's top k after that history. Without VALID, EASE's
 * lambda is --lambda, else 500 (P1's reference).
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class BaselineCommand {

    static final float[] LAMBDAS = { 50, 100, 200, 500, 1000, 2000, 5000 };
    static final float P1_LAMBDA = 500;

    private static final Set<String> FLAGS = Set.of("kind", "train", "valid", "recs", "k", "lambda", "threads");

    private BaselineCommand() {}

    static void run(String[] argv) {
        Args args = new Args(argv, 1, FLAGS);
        Kind kind = Kind.fromId(args.string("kind", ""));
        int k = args.integer("k", 10);
        int threads = args.integer("threads", 2);
        List<Rating> train = InteractionFiles.read(args.requiredPath("train"));
        long start = System.nanoTime();
        float lambda = args.number("lambda", P1_LAMBDA);
        List<Rating> valid = List.of();
        if (args.has("valid")) {
            valid = InteractionFiles.read(args.requiredPath("valid"));
            float[] lambdas = kind == Kind.EASE && args.has("lambda") == false ? LAMBDAS : new float[]{ lambda };
            double bestNdcg = Double.NEGATIVE_INFINITY;
            for (float l : lambdas) {
                Map<String, List<String>> top = BaselineRecommendations.fit(kind, train, List.of(), l).topN(k, threads);
                Map<String, Double> m = TopNMetrics.evaluate(train, valid, top, k, null);
                double ndcg = m.get("ndcg@" + k);
                System.err.printf(
                    Locale.ROOT,
                    "valid %s%s: HR@%d %.4f NDCG@%d %.4f%n",
                    kind.id(),
                    kind == Kind.EASE ? " lambda=" + l : "",
                    k,
                    m.get("hit_rate@" + k),
                    k,
                    ndcg
                );
                if (ndcg > bestNdcg) {
                    bestNdcg = ndcg;
                    lambda = l;
                }
            }
        }
        Map<String, List<String>> top = BaselineRecommendations.fit(kind, train, valid, lambda).topN(k, threads);
        RecsFile.write(args.requiredPath("recs"), top);
        System.err.printf(
            Locale.ROOT,
            "%s%s: wrote top %d for %d users to %s in %.1f s%n",
            kind.id(),
            kind == Kind.EASE ? " lambda=" + lambda : "",
            k,
            top.size(),
            args.requiredPath("recs"),
            (System.nanoTime() - start) / 1e9
        );
    }
}

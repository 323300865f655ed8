package org.recsys.core.cli;

import org.recsys.core.data.Csr;
import org.recsys.core.data.IdIndex;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.eval.Holdout;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.eval.WalsRecommendations;
import org.recsys.core.eval.Weighting;
import org.recsys.core.fusion.CandidateFeatures;
import org.recsys.core.fusion.CandidateLists;
import org.recsys.core.fusion.FusedOrder;
import org.recsys.core.fusion.Fusion;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.LearnedFusion;
import org.recsys.core.fusion.WeightedSum;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fused top-k offline (what {@code _recommend} does on a node), three rankings of the same candidates:
 * <pre>
 *   fusion --train TRAIN.tsv --recs-wals A.tsv --recs-weighted B.tsv --recs-learned C.tsv
 *          [--items ITEMS.jsonl --encoder DIR [--fields title,genres,plot]] [--test TEST.tsv]
 *          [--weights c,t,p,f] [--window 100] [--k 10] [--holdout 0.2] [--holdout-order recent|random] [WALS flags]
 * </pre>
 * Every user's candidates are the top {@code window} unseen items by WALS on TRAIN. The learned fusion is trained on
 * TRAIN only (recent {@code holdout} of each user's rows against a WALS of the older rows; see {@link LearnedFusion});
 * without {@code --weights} the weighted sum's weights are the best of a small grid on the same training lists.
 * {@code --test} prints the P1 metrics of the three files (the same figures as {@code evaluate.py topn}).
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class FusionCommands {

    private static final double[] CONTENT_GRID = { 0, 0.05, 0.1, 0.2, 0.4, 0.8 };
    private static final double[] POPULARITY_GRID = { -0.05, -0.02, 0, 0.02, 0.05, 0.1 };

    private FusionCommands() {}

    static void fusion(String[] argv) {
        Set<String> flags = new HashSet<>(Main.WALS_FLAGS);
        flags.addAll(
            Set.of(
                "train",
                "test",
                "items",
                "encoder",
                "fields",
                "recs-wals",
                "recs-weighted",
                "recs-learned",
                "weights",
                "window",
                "k",
                "holdout",
                "holdout-order"
            )
        );
        Args args = new Args(argv, 1, flags);
        int k = args.integer("k", 10);
        LearnedFusion.Params defaults = LearnedFusion.Params.defaults();
        LearnedFusion.Params params =
            new LearnedFusion.Params(args.integer("window", defaults.window()), k, defaults.validationFraction(), defaults.trainer());
        Weighting weighting = Main.weighting(args);
        WalsParams wals = Main.walsParams(args);
        List<Rating> rows = InteractionFiles.read(args.requiredPath("train"));
        Map<String, float[]> texts = args.has("encoder") ? ProjectionCommands.encode(args, ProjectionCommands.texts(args)) : Map.of();

        float fraction = args.number("holdout", 0.2f);
        String order = args.string("holdout-order", "recent");
        Holdout.Split split = switch (order) {
            case "recent" -> Holdout.recentPerUser(rows, fraction);
            case "random" -> Holdout.perUser(rows, fraction, params.trainer().seed());
            default -> throw new IllegalArgumentException("--holdout-order is [" + order + "]; expected recent or random");
        };
        InteractionMatrix older = WalsRecommendations.matrix(split.fit(), weighting);
        InteractionMatrix.Builder recent = new InteractionMatrix.Builder(older.users(), older.items());
        int[] heldOutTotal = new int[older.users().size()];
        for (Rating r : split.heldOut()) {
            int u = older.users().indexOf(r.user());
            if (u >= 0) {
                heldOutTotal[u]++;
                if (older.items().indexOf(r.item()) >= 0) {
                    recent.add(r.user(), r.item(), 1f);
                }
            }
        }
        Csr heldOut = recent.build().byUser();
        LearnedFusion.Result learned = LearnedFusion.fit(
            older,
            heldOut,
            heldOutTotal,
            byIndex(older.items(), texts),
            wals,
            params,
            Workers.offline(),
            (epoch, loss, ndcg) -> System.err.printf(Locale.ROOT, "epoch %d loss %.4f validation ndcg@%d %.4f%n", epoch, loss, k, ndcg)
        );
        System.out.printf(
            Locale.ROOT,
            "learned fusion: validation ndcg@%d %.4f (first phase %.4f), epoch %d, %d training and %d validation users%n",
            k,
            learned.fit().validationNdcg(),
            learned.fit().firstPhaseNdcg(),
            learned.fit().bestEpoch(),
            learned.trainingLists(),
            learned.validationLists()
        );
        WeightedSum weighted =
            args.has("weights") ? new WeightedSum(numbers(args.string("weights", ""))) : bestWeights(learned.training(), k);
        System.out.printf(Locale.ROOT, "weighted sum %s: validation ndcg@%d %.4f%n", weighted, k, learned.validation().ndcg(weighted, k));

        InteractionMatrix full = WalsRecommendations.matrix(rows, weighting);
        WalsModel model = new org.recsys.core.wals.WalsTrainer(wals).computeLoss(false).train(full);
        CandidateFeatures candidates = new CandidateFeatures(model, full.byUser(), byIndex(full.items(), texts));
        Map<String, Fusion> fusions = new LinkedHashMap<>();
        fusions.put("recs-wals", WeightedSum.collaborativeOnly());
        fusions.put("recs-weighted", weighted);
        fusions.put("recs-learned", learned.fit().net());
        Map<String, Map<String, List<String>>> recs = new LinkedHashMap<>();
        fusions.keySet().forEach(name -> recs.put(name, new LinkedHashMap<>()));
        for (int u = 0; u < full.users().size(); u++) {
            CandidateFeatures.Candidates c = candidates.forUser(u, params.window());
            for (Map.Entry<String, Fusion> f : fusions.entrySet()) {
                List<String> items = new ArrayList<>(k);
                for (int position : FusedOrder.top(f.getValue(), c.features(), 0, c.items().length, k)) {
                    items.add(model.items().id(c.items()[position]));
                }
                recs.get(f.getKey()).put(full.users().id(u), items);
            }
        }
        List<Rating> test = args.has("test") ? InteractionFiles.read(args.requiredPath("test")) : null;
        for (Map.Entry<String, Map<String, List<String>>> e : recs.entrySet()) {
            Path out = args.requiredPath(e.getKey());
            RecsFile.write(out, e.getValue());
            if (test != null) {
                Map<String, Double> m = TopNMetrics.evaluate(rows, test, e.getValue(), k, null);
                System.out.printf(
                    Locale.ROOT,
                    "%-14s %s ndcg@%d %.4f precision@%d %.4f (%s)%n",
                    e.getKey(),
                    out,
                    k,
                    m.get("ndcg@" + k),
                    k,
                    m.get("precision@" + k),
                    fusions.get(e.getKey()).type()
                );
            }
        }
    }

    private static WeightedSum bestWeights(CandidateLists lists, int k) {
        WeightedSum best = null;
        double bestNdcg = Double.NEGATIVE_INFINITY;
        for (double content : CONTENT_GRID) {
            for (double popularity : POPULARITY_GRID) {
                double[] w = new double[FusionFeature.COUNT];
                w[FusionFeature.COLLABORATIVE.ordinal()] = 1;
                w[FusionFeature.CONTENT.ordinal()] = content;
                w[FusionFeature.POPULARITY.ordinal()] = popularity;
                WeightedSum candidate = new WeightedSum(w);
                double ndcg = lists.ndcg(candidate, k);
                if (ndcg > bestNdcg) {
                    bestNdcg = ndcg;
                    best = candidate;
                }
            }
        }
        return best;
    }

    private static float[][] byIndex(IdIndex items, Map<String, float[]> texts) {
        if (texts.isEmpty()) {
            return null;
        }
        float[][] out = new float[items.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = texts.get(items.id(i));
        }
        return out;
    }

    private static double[] numbers(String csv) {
        String[] parts = csv.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--weights: [" + parts[i] + "] is not a number", e);
            }
        }
        return out;
    }
}

package org.recsys.core.cli;

import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.eval.WalsRecommendations;
import org.recsys.core.fusion.CandidateFeatures;
import org.recsys.core.fusion.CandidateLists;
import org.recsys.core.fusion.FusedOrder;
import org.recsys.core.fusion.Fusion;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionNet;
import org.recsys.core.fusion.FusionTrainer;
import org.recsys.core.fusion.HybridCatalogue;
import org.recsys.core.fusion.HybridFusion;
import org.recsys.core.fusion.LearnedFusion;
import org.recsys.core.fusion.WeightedSum;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A mixed catalogue offline (protocol P5), what {@code _train} with {@code projection} and {@code fusion} and then
 * {@code _recommend} do on a node:
 * <pre>
 *   hybrid --train TRAIN.tsv --items ITEMS.jsonl --encoder DIR --recs OUT.tsv [--recs-wals OUT.tsv] [--test TEST.tsv]
 *          [--k 10] [--window 100] [--reserved R] [--cold-fraction 0.1] [--holdout 0.2] [--warm-floor 0.9]
 *          [--features collaborative,content,popularity,projected] [--epochs 30] [--hidden 128] [--fusion-seed 7]
 *          [--new-items-encoder DIR] [--fields ...] [WALS flags]
 * </pre>
 * Every item with a text vector is a candidate: WALS trains on TRAIN, the items it lacks are projected from their
 * text ({@link HybridCatalogue}), each user's candidates are the top {@code window} by WALS score plus the best
 * {@code reserved} projected ones, and the learned fusion ({@link HybridFusion}, trained on a carve-out of TRAIN with
 * pseudo-cold items) orders them. Without {@code --reserved} the share is chosen on the carve-out's validation users:
 * among the shares whose network is served ({@link HybridFusion.Result#servesNetwork}), the best on the cold part.
 * {@code --fusion-seed} seeds the carve-out (which items are pseudo-cold, which interactions are held out) and the network.
 * {@code --recs-wals} writes the WALS order over the same catalogue (WALS with projected cold items). {@code --test}
 * prints the metrics overall and on its warm and cold parts (cold: items without a TRAIN interaction).
 * {@code --new-items-encoder} takes the served catalogue's new items' factors from an encoder fine-tuned onto this
 * WALS model's factors ({@code finetune --out DIR} on the same TRAIN with the same WALS flags) instead of the ridge
 * projection; the carve-out, which has no such encoder for its pseudo-cold items, keeps the ridge projection.
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class HybridCommand {

    static final int[] RESERVED_GRID = { 0, 10, 20, 40 };

    private HybridCommand() {}

    static void run(String[] argv) {
        Set<String> flags = new HashSet<>(Main.WALS_FLAGS);
        flags.addAll(
            Set.of(
                "train",
                "items",
                "encoder",
                "fields",
                "recs",
                "recs-wals",
                "test",
                "k",
                "window",
                "reserved",
                "cold-fraction",
                "holdout",
                "features",
                "epochs",
                "hidden",
                "warm-floor",
                "fusion-seed",
                "new-items-encoder"
            )
        );
        Args args = new Args(argv, 1, flags);
        int k = args.integer("k", 10);
        HybridFusion.Params d = HybridFusion.Params.defaults();
        LearnedFusion.Params f = d.fusion();
        HybridFusion.Params params = new HybridFusion.Params(
            args.number("cold-fraction", (float) d.coldFraction()),
            args.number("holdout", (float) d.holdout()),
            d.reserved(),
            args.number("warm-floor", (float) d.warmFloor()),
            d.projection(),
            new LearnedFusion.Params(args.integer("window", f.window()), k, f.validationFraction(), trainer(args, f.trainer()))
        );
        WalsParams wals = Main.walsParams(args);
        List<Rating> rows = InteractionFiles.read(args.requiredPath("train"));
        Map<String, String> itemTexts = ProjectionCommands.texts(args);
        Map<String, float[]> texts = ProjectionCommands.encode(args, itemTexts);
        InteractionMatrix full = WalsRecommendations.matrix(rows, Main.weighting(args));

        long start = System.nanoTime();
        HybridFusion.CarveOut carveOut = HybridFusion.carveOut(full, texts, wals, params, Workers.offline());
        int[] grid = args.has("reserved") ? new int[]{ args.integer("reserved", d.reserved()) } : RESERVED_GRID;
        HybridFusion.Result best = null;
        int bestReserved = -1;
        for (int reserved : grid) {
            HybridFusion.Result r = carveOut.fit(params.withReserved(reserved), null);
            FusionNet net = r.fit().fit().net();
            CandidateLists.Gain all = r.overallGain();
            CandidateLists.Gain cold = r.coldGain();
            System.out.printf(
                Locale.ROOT,
                "carve-out (%d pseudo-cold items), reserved %d: validation ndcg@%d all/warm/cold: learned %.4f / %.4f / %.4f (epoch %d, offset %.2f), WALS order %.4f / %.4f / %.4f; gain all %+.4f ± %.4f, cold %+.4f ± %.4f (standard errors; %d users): %s%n",
                r.pseudoColdItems(),
                reserved,
                k,
                r.allNdcg(net),
                r.warmNdcg(net),
                r.coldNdcg(net),
                r.fit().fit().bestEpoch(),
                r.offset(),
                r.allNdcg(WeightedSum.collaborativeOnly()),
                r.warmNdcg(WeightedSum.collaborativeOnly()),
                r.coldNdcg(WeightedSum.collaborativeOnly()),
                all.mean(),
                all.standardError(),
                cold.mean(),
                cold.standardError(),
                cold.lists(),
                r.servesNetwork() ? "served" : "not served"
            );
            // Among the fits that would serve their network (none worse overall than the WALS order beyond noise), the
            // one that places new items best: their overall NDCG differs by less than its noise, their cold part does
            // not. The first fit when none would serve its network.
            boolean better = best == null
                || r.servesNetwork() && (best.servesNetwork() == false || r.coldNdcg(net) > best.coldNdcg(best.fit().fit().net()));
            if (better) {
                best = r;
                bestReserved = reserved;
            }
        }
        FusionNet chosen = best.chosen();
        System.out.printf(
            Locale.ROOT,
            "chosen: reserved %d, %s (the network %s)%n",
            bestReserved,
            chosen,
            best.servesNetwork() ? "is served" : "is not served: the WALS order is"
        );

        WalsModel model = new WalsTrainer(wals).computeLoss(false).train(full);
        HybridCatalogue catalogue = HybridCatalogue.place(model, full.byItem(), texts, params.projection());
        if (args.has("new-items-encoder")) {
            List<String> newItems = catalogue.items().ids().subList(catalogue.trained(), catalogue.size());
            catalogue = catalogue
                .withNewItemFactors(FinetuneCommand.factors(args.requiredPath("new-items-encoder"), newItems, itemTexts, wals.threads()));
        }
        CandidateFeatures candidates = catalogue.candidates(model, full.byUser(), bestReserved);
        Map<String, Fusion> fusions = new LinkedHashMap<>();
        fusions.put("recs", chosen);
        if (args.has("recs-wals")) {
            fusions.put("recs-wals", WeightedSum.collaborativeOnly());
        }
        Map<String, Map<String, List<String>>> recs = new LinkedHashMap<>();
        fusions.keySet().forEach(name -> recs.put(name, new LinkedHashMap<>()));
        for (int u = 0; u < full.users().size(); u++) {
            CandidateFeatures.Candidates c = candidates.forUser(u, params.fusion().window());
            for (Map.Entry<String, Fusion> e : fusions.entrySet()) {
                List<String> items = new ArrayList<>(k);
                for (int position : FusedOrder.top(e.getValue(), c.features(), 0, c.items().length, k)) {
                    items.add(catalogue.items().id(c.items()[position]));
                }
                recs.get(e.getKey()).put(full.users().id(u), items);
            }
        }
        System.err.printf(
            Locale.ROOT,
            "hybrid: %d items (%d projected), %d users in %.1f s%n",
            catalogue.size(),
            catalogue.size() - catalogue.trained(),
            full.users().size(),
            (System.nanoTime() - start) / 1e9
        );
        List<Rating> test = args.has("test") ? InteractionFiles.read(args.requiredPath("test")) : null;
        for (Map.Entry<String, Map<String, List<String>>> e : recs.entrySet()) {
            Path out = args.requiredPath(e.getKey());
            RecsFile.write(out, e.getValue());
            if (test != null) {
                report(e.getKey(), rows, test, e.getValue(), k, full);
            }
        }
    }

    private static FusionTrainer.Params trainer(Args args, FusionTrainer.Params d) {
        FusionFeature[] features = args.has("features")
            ? Arrays.stream(args.string("features", "").split(",")).map(FusionFeature::fromId).distinct().toArray(FusionFeature[]::new)
            : d.inputs();
        return new FusionTrainer.Params(
            features,
            args.integer("hidden", d.hidden()),
            args.integer("epochs", d.epochs()),
            d.learningRate(),
            d.negatives(),
            d.batch(),
            args.integer("fusion-seed", (int) d.seed())
        );
    }

    /** Overall, then on the test rows of trained items (warm) and of items without a training interaction (cold). */
    private static void report(
        String name,
        List<Rating> train,
        List<Rating> test,
        Map<String, List<String>> recs,
        int k,
        InteractionMatrix full
    ) {
        List<Rating> warm = new ArrayList<>();
        List<Rating> cold = new ArrayList<>();
        test.forEach(r -> (full.items().indexOf(r.item()) >= 0 ? warm : cold).add(r));
        String key = "ndcg@" + k;
        System.out.printf(
            Locale.ROOT,
            "%-10s ndcg@%d overall %.4f, warm part %.4f, cold part %.4f%n",
            name,
            k,
            TopNMetrics.evaluate(train, test, recs, k, null).get(key),
            TopNMetrics.evaluate(train, warm, recs, k, null).get(key),
            TopNMetrics.evaluate(train, cold, recs, k, null).get(key)
        );
    }
}

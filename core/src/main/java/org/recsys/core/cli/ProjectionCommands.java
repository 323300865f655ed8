package org.recsys.core.cli;

import org.recsys.core.encoder.Pooling;
import org.recsys.core.encoder.TextEncoder;
import org.recsys.core.eval.CatalogueTexts;
import org.recsys.core.eval.ColdItems;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.eval.WalsRecommendations;
import org.recsys.core.projection.ItemWeighting;
import org.recsys.core.projection.Projection;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Cold items from their text (protocol P2), offline:
 * <pre>
 *   projection      --train TRAIN.tsv --items ITEMS.jsonl --encoder DIR --candidates ITEMS.txt --recs OUT.tsv
 *                   [--k 10] [--lambda L] [--item-weighting uniform|log_count] [--content-recs F] [--random-recs F]
 *                   [--fields title,genres,plot] [WALS flags]
 *   projection-tune --train TRAIN.tsv --items ITEMS.jsonl --encoder DIR [--fields ...] [WALS flags]
 * </pre>
 * Items are encoded as the {@code text_vector} processor does (fields joined by a newline, mean pooling, unit
 * length, 128 tokens); WALS trains with its tuned defaults; every training user gets the top k candidates.
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class ProjectionCommands {

    private static final Set<String> TEXT_FLAGS = Set.of("items", "encoder", "fields");
    private static final long CARVE_OUT_SEED = 1;

    private ProjectionCommands() {}

    static void projection(String[] argv) {
        Set<String> flags = new HashSet<>(Main.WALS_FLAGS);
        flags.addAll(TEXT_FLAGS);
        flags.addAll(Set.of("train", "candidates", "recs", "k", "lambda", "item-weighting", "content-recs", "random-recs"));
        Args args = new Args(argv, 1, flags);
        int k = args.integer("k", 10);
        ProjectionParams defaults = ProjectionParams.defaults();
        ProjectionParams params = new ProjectionParams(
            args.number("lambda", defaults.lambda()),
            ItemWeighting.fromId(args.string("item-weighting", defaults.weighting().id()))
        );
        List<Rating> train = InteractionFiles.read(args.requiredPath("train"));
        List<String> candidates = lines(args.requiredPath("candidates"));
        ColdItems cold = new ColdItems(encode(args, texts(args)));
        WalsModel model = WalsRecommendations.train(train, Main.weighting(args), Main.walsParams(args));
        Set<String> users = new LinkedHashSet<>(model.users().ids());

        Projection projection = cold.fit(model, train, params);
        RecsFile.write(args.requiredPath("recs"), cold.byProjection(model, projection, candidates, users, k));
        if (args.has("content-recs")) {
            RecsFile.write(args.requiredPath("content-recs"), cold.byContent(train, candidates, users, k));
        }
        if (args.has("random-recs")) {
            RecsFile.write(args.requiredPath("random-recs"), ColdItems.random(candidates, users, k, CARVE_OUT_SEED));
        }
        System.err.printf(
            Locale.ROOT,
            "ranked %d candidates for %d users (%s, rank %d)%n",
            candidates.size(),
            users.size(),
            params,
            model.rank()
        );
    }

    /**
     * A carve-out of TRAIN only: 10% of the trained items that have a plot become cold (their rows leave the training
     * rows and become the test), and every projection setting is scored on them beside content-only and random.
     */
    static void tune(String[] argv) {
        Set<String> flags = new HashSet<>(Main.WALS_FLAGS);
        flags.addAll(TEXT_FLAGS);
        flags.add("train");
        Args args = new Args(argv, 1, flags);
        List<Rating> rows = InteractionFiles.read(args.requiredPath("train"));
        Map<String, float[]> vectors = encode(args, texts(args));
        Set<String> trained = new HashSet<>();
        rows.forEach(r -> trained.add(r.item()));
        List<String> pool = new ArrayList<>();
        for (String item : CatalogueTexts.withPlot(args.requiredPath("items"))) {
            if (trained.contains(item)) {
                pool.add(item);
            }
        }
        Collections.shuffle(pool, new Random(CARVE_OUT_SEED));
        List<String> coldItems = pool.subList(0, pool.size() / 10);
        Set<String> coldSet = new HashSet<>(coldItems);
        List<Rating> fit = new ArrayList<>();
        List<Rating> heldOut = new ArrayList<>();
        rows.forEach(r -> (coldSet.contains(r.item()) ? heldOut : fit).add(r));
        Set<String> users = new LinkedHashSet<>();
        heldOut.forEach(r -> users.add(r.user()));

        WalsParams walsParams = Main.walsParams(args);
        WalsModel model = WalsRecommendations.train(fit, Main.weighting(args), walsParams);
        ColdItems cold = new ColdItems(vectors);
        System.out
            .printf(Locale.ROOT, "carve-out: %d cold items, %d held-out rows, %d users%n", coldItems.size(), heldOut.size(), users.size());
        report("random", fit, heldOut, ColdItems.random(coldItems, users, 10, CARVE_OUT_SEED), coldSet);
        report("content only", fit, heldOut, cold.byContent(fit, coldItems, users, 10), coldSet);
        for (ItemWeighting weighting : ItemWeighting.values()) {
            for (float lambda : new float[]{ 0.01f, 0.1f, 1f, 10f, 100f }) {
                ProjectionParams params = new ProjectionParams(lambda, weighting);
                report(
                    "projection " + params,
                    fit,
                    heldOut,
                    cold.byProjection(model, cold.fit(model, fit, params), coldItems, users, 10),
                    coldSet
                );
            }
        }
    }

    private static void report(
        String name,
        List<Rating> fit,
        List<Rating> heldOut,
        Map<String, List<String>> recs,
        Set<String> candidates
    ) {
        Map<String, Double> m = TopNMetrics.evaluate(fit, heldOut, recs, 10, candidates);
        System.out.printf(Locale.ROOT, "%-60s recall@10 %.4f  ndcg@10 %.4f%n", name, m.get("recall@10"), m.get("ndcg@10"));
    }

    /** Every item's text vector ({@link #texts}), encoded as the text_vector processor encodes a document. */
    static Map<String, float[]> encode(Args args, Map<String, String> texts) {
        List<String> ids = new ArrayList<>(texts.keySet());
        long start = System.nanoTime();
        try (TextEncoder encoder = TextEncoder.load(args.requiredPath("encoder"))) {
            float[][] vectors = encoder.encodeByLength(new ArrayList<>(texts.values()), Pooling.MEAN, true, 128, 32).vectors();
            Map<String, float[]> out = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                out.put(ids.get(i), vectors[i]);
            }
            System.err.printf(Locale.ROOT, "encoded %d items in %.1f s%n", ids.size(), (System.nanoTime() - start) / 1e9);
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot load the encoder: " + e.getMessage(), e);
        }
    }

    /** Every item's text: the catalogue's {@code --fields} of {@code --items}, one per line. */
    static Map<String, String> texts(Args args) {
        return CatalogueTexts.read(args.requiredPath("items"), List.of(args.string("fields", "title,genres,plot").split(",")), "\n");
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim).filter(l -> l.isEmpty() == false).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

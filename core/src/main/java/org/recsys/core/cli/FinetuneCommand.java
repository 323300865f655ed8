package org.recsys.core.cli;

import org.recsys.core.encoder.EncoderFineTuning;
import org.recsys.core.encoder.Pooling;
import org.recsys.core.encoder.TextEncoder;
import org.recsys.core.encoder.TextTokenizer;
import org.recsys.core.encoder.TransformerConfig;
import org.recsys.core.eval.CatalogueTexts;
import org.recsys.core.eval.ColdItems;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.eval.WalsRecommendations;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.core.projection.RidgeProjection;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.wals.WalsModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Fine-tunes a text encoder end to end with a linear head onto the items' WALS factors, offline:
 * <pre>
 *   finetune --train TRAIN.tsv --items ITEMS.jsonl --encoder DIR --out DIR2
 *            [--lr 3e-5] [--batch-size 16] [--epochs 4] [--patience 1] [--torch-threads 2] [--fields title,genres,plot]
 *            [--candidates ITEMS.txt --recs OUT.tsv [--k 10]] [WALS flags]
 * </pre>
 * WALS trains on TRAIN with its tuned defaults. 10% of the trained items with a plot (seed 1) are held out of the
 * tuning; the rest tune the encoder and head, which start from the ridge projection (λ and weighting as the
 * projection's defaults, the same squared error weighted by log(1 + interactions)) fitted on the pooled vectors of
 * the untuned encoder. After each epoch the held-out items are ranked, from their text alone, for the users who rated
 * them; the model with the best NDCG@10 (the ridge start included) is what {@code --out} holds, and training stops
 * after {@code --patience} epochs without a better one. With {@code --candidates}, DIR2 is loaded back as an
 * ordinary encoder and every training user gets the top k candidates by their factor times the candidates'.
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class FinetuneCommand {

    private static final long SEED = 1;
    private static final int MAX_TOKENS = 128;
    /** Batches are cut from windows of this many batches sorted by length, so that each pads little. */
    private static final int SORT_WINDOW = 8;

    private FinetuneCommand() {}

    static void run(String[] argv) {
        Set<String> flags = new HashSet<>(Main.WALS_FLAGS);
        flags.addAll(
            Set.of(
                "train",
                "items",
                "encoder",
                "out",
                "fields",
                "lr",
                "batch-size",
                "epochs",
                "patience",
                "torch-threads",
                "candidates",
                "recs",
                "k"
            )
        );
        Args args = new Args(argv, 1, flags);
        Path encoderDir = args.requiredPath("encoder");
        Path out = args.requiredPath("out");
        float lr = args.number("lr", 3e-5f);
        int batchSize = args.integer("batch-size", 16);
        int maxEpochs = args.integer("epochs", 4);
        int patience = args.integer("patience", 1);
        int torchThreads = args.integer("torch-threads", 2);
        Map<String, String> texts = ProjectionCommands.texts(args);

        long start = System.nanoTime();
        List<Rating> train = InteractionFiles.read(args.requiredPath("train"));
        WalsModel model = WalsRecommendations.train(train, Main.weighting(args), Main.walsParams(args));
        int rank = model.rank();
        Map<String, Integer> counts = new HashMap<>();
        train.forEach(r -> counts.merge(r.item(), 1, Integer::sum));

        Set<String> trained = new HashSet<>();
        for (int i = 0; i < model.items().size(); i++) {
            if (texts.containsKey(model.items().id(i))) {
                trained.add(model.items().id(i));
            }
        }
        List<String> pool =
            new ArrayList<>(CatalogueTexts.withPlot(args.requiredPath("items")).stream().filter(trained::contains).toList());
        Collections.shuffle(pool, new Random(SEED));
        Set<String> heldOut = new LinkedHashSet<>(pool.subList(0, pool.size() / 10));
        List<String> tuned = trained.stream().filter(i -> heldOut.contains(i) == false).sorted().toList();
        Validation validation = new Validation(model, train, heldOut);

        Map<String, long[]> ids = tokenize(encoderDir, texts);
        try (EncoderFineTuning tuning = EncoderFineTuning.load(encoderDir, Pooling.MEAN, lr, torchThreads)) {
            ProjectionParams ridge = ProjectionParams.defaults();
            float[] weights = new float[tuned.size()];
            float[] targets = new float[tuned.size() * rank];
            for (int r = 0; r < tuned.size(); r++) {
                weights[r] = ridge.weighting().weight(counts.getOrDefault(tuned.get(r), 0));
                System.arraycopy(model.itemFactors(), model.items().indexOf(tuned.get(r)) * rank, targets, r * rank, rank);
            }
            float[][] pooled = inBatches(tuned, ids, batchSize, tuning::pooled);
            int d = tuning.hidden();
            float[] x = new float[tuned.size() * d];
            for (int r = 0; r < tuned.size(); r++) {
                System.arraycopy(pooled[r], 0, x, r * d, d);
            }
            tuning.initHead(RidgeProjection.fit(x, d, targets, rank, tuned.size(), weights, ridge.lambda()).weights(), rank);

            double best = validation.ndcg(inBatches(heldOut, ids, batchSize, tuning::predict));
            tuning.save(out);
            System.out.printf(
                Locale.ROOT,
                "epoch 0 (ridge start): held-out ndcg@10 %.4f  (%d tuned items, %d held out, %.0f s)%n",
                best,
                tuned.size(),
                heldOut.size(),
                seconds(start)
            );
            Random random = new Random(SEED);
            int bestEpoch = 0;
            for (int epoch = 1; epoch <= maxEpochs && epoch - bestEpoch <= patience; epoch++) {
                double loss = 0;
                int steps = 0;
                for (int[] batch : batches(tuned, ids, batchSize, random)) {
                    long[][] batchIds = new long[batch.length][];
                    float[] batchTargets = new float[batch.length * rank];
                    float[] batchWeights = new float[batch.length];
                    for (int b = 0; b < batch.length; b++) {
                        batchIds[b] = ids.get(tuned.get(batch[b]));
                        System.arraycopy(targets, batch[b] * rank, batchTargets, b * rank, rank);
                        batchWeights[b] = weights[batch[b]];
                    }
                    loss += tuning.step(batchIds, batchTargets, batchWeights);
                    steps++;
                }
                double ndcg = validation.ndcg(inBatches(heldOut, ids, batchSize, tuning::predict));
                boolean better = ndcg > best;
                if (better) {
                    best = ndcg;
                    bestEpoch = epoch;
                    tuning.save(out);
                }
                System.out.printf(
                    Locale.ROOT,
                    "epoch %d: training loss %.5f, held-out ndcg@10 %.4f%s  (%.0f s)%n",
                    epoch,
                    loss / steps,
                    ndcg,
                    better ? " (best, saved)" : "",
                    seconds(start)
                );
            }
            System.out.printf(
                Locale.ROOT,
                "kept epoch %d (held-out ndcg@10 %.4f) in %s; fine-tuning took %.0f s%n",
                bestEpoch,
                best,
                out,
                seconds(start)
            );
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot fine-tune [" + encoderDir + "]: " + e.getMessage(), e);
        }
        if (args.has("candidates")) {
            writeRecs(args, out, model, texts, torchThreads);
        }
    }

    /** Ranks the candidates by the factors that the saved directory gives as an ordinary encoder. */
    private static void writeRecs(Args args, Path dir, WalsModel model, Map<String, String> texts, int threads) {
        List<String> candidates = ProjectionCommands.lines(args.requiredPath("candidates"));
        Map<String, float[]> factors = factors(dir, candidates, texts, threads);
        Set<String> users = new LinkedHashSet<>(model.users().ids());
        RecsFile.write(args.requiredPath("recs"), ColdItems.byFactors(model, factors, candidates, users, args.integer("k", 10)));
    }

    /** The factors that a saved directory gives, as an ordinary encoder, to the texts of {@code items}. */
    static Map<String, float[]> factors(Path dir, List<String> items, Map<String, String> texts, int threads) {
        Map<String, float[]> factors = new HashMap<>();
        try (TextEncoder encoder = TextEncoder.load(dir, threads)) {
            List<String> itemTexts = items.stream().map(texts::get).toList();
            float[][] vectors =
                encoder.encodeByLength(itemTexts, Pooling.MEAN, false, maxTokens(encoder.maxSequenceLength()), 32).vectors();
            for (int c = 0; c < items.size(); c++) {
                factors.put(items.get(c), vectors[c]);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot load the tuned encoder: " + e.getMessage(), e);
        }
        return factors;
    }

    /**
     * The held-out items ranked, from their predicted factors, for the users who rated them in train: NDCG@10 of
     * those ratings with the items' other rows as what the users have seen.
     */
    private record Validation(WalsModel model, List<Rating> seen, List<Rating> heldOutRows, List<String> items, Set<String> users) {

        Validation(WalsModel model, List<Rating> train, Set<String> heldOut) {
            this(model, new ArrayList<>(), new ArrayList<>(), List.copyOf(heldOut), new LinkedHashSet<>());
            for (Rating r : train) {
                if (heldOut.contains(r.item())) {
                    heldOutRows.add(r);
                    users.add(r.user());
                } else {
                    seen.add(r);
                }
            }
        }

        double ndcg(float[][] predicted) {
            Map<String, float[]> factors = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                factors.put(items.get(i), predicted[i]);
            }
            Map<String, List<String>> recs = ColdItems.byFactors(model, factors, items, users, 10);
            return TopNMetrics.evaluate(seen, heldOutRows, recs, 10, new HashSet<>(items)).get("ndcg@10");
        }
    }

    private static Map<String, long[]> tokenize(Path encoderDir, Map<String, String> texts) {
        Map<String, long[]> ids = new LinkedHashMap<>();
        try {
            int limit = TransformerConfig.read(encoderDir.resolve("config.json")).maxSequenceLength();
            try (TextTokenizer tokenizer = TextTokenizer.load(encoderDir.resolve("tokenizer.json"), limit)) {
                texts.forEach((item, text) -> ids.put(item, tokenizer.encode(text, maxTokens(limit)).ids()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot load the tokenizer of [" + encoderDir + "]: " + e.getMessage(), e);
        }
        return ids;
    }

    /** The text_vector processor's default, or the model's limit when it is shorter. */
    private static int maxTokens(int modelLimit) {
        return Math.min(MAX_TOKENS, modelLimit);
    }

    /** {@code pass} over the items in batches, in order. */
    private static float[][] inBatches(
        Collection<String> items,
        Map<String, long[]> ids,
        int batchSize,
        Function<long[][], float[][]> pass
    ) {
        List<String> list = List.copyOf(items);
        float[][] out = new float[list.size()][];
        for (int from = 0; from < list.size(); from += batchSize) {
            int to = Math.min(list.size(), from + batchSize);
            float[][] part = pass.apply(list.subList(from, to).stream().map(ids::get).toArray(long[][]::new));
            System.arraycopy(part, 0, out, from, to - from);
        }
        return out;
    }

    /** One epoch's batches of indices into {@code items}: shuffled, sorted by length within windows, in shuffled order. */
    private static List<int[]> batches(List<String> items, Map<String, long[]> ids, int batchSize, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        List<int[]> batches = new ArrayList<>();
        int window = batchSize * SORT_WINDOW;
        for (int from = 0; from < order.size(); from += window) {
            List<Integer> part = new ArrayList<>(order.subList(from, Math.min(order.size(), from + window)));
            part.sort(Comparator.comparingInt(i -> ids.get(items.get(i)).length));
            for (int b = 0; b < part.size(); b += batchSize) {
                batches.add(part.subList(b, Math.min(part.size(), b + batchSize)).stream().mapToInt(Integer::intValue).toArray());
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}

package org.recsys.core.cli;

import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.MeluLatency;
import org.recsys.core.eval.MeluPredictions;
import org.recsys.core.eval.MovieLensFeatures;
import org.recsys.core.eval.NewUserSplit;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.RatingBaselines;
import org.recsys.core.eval.RatingMetrics;
import org.recsys.core.eval.WalsRecommendations;
import org.recsys.core.eval.WalsTuning;
import org.recsys.core.eval.Weighting;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code scripts/recsys}: the offline commands.
 * <pre>
 *   wals      --train TRAIN.tsv --recs OUT.tsv [--k 10] [WALS flags]   train, write each user's top k (user item rank)
 *   wals-tune --train TRAIN.tsv [WALS flags]                           grid search on a carve-out of TRAIN only
 *   melu      --train TRAIN.tsv [--support S.tsv --query Q.tsv --predictions OUT.tsv] [MeLU flags]
 *             P4 predictions (user item rating); without them, MAE and nDCG on a carve-out of TRAIN's users
 * </pre>
 * WALS flags override the tuned defaults: --rank --iterations --lambda --alpha --confidence linear|log --epsilon
 * --w0 --solver cg|cholesky --cg-steps --threads --seed --weight binary|rating.
 */
public final class Main {

    private static final Set<String> WALS_FLAGS = Set.of(
        "rank", "iterations", "lambda", "alpha", "confidence", "epsilon", "w0", "solver", "cg-steps", "threads", "seed", "weight"
    );

    /** The weighting that goes with {@link WalsParams#defaults()}. */
    static final Weighting DEFAULT_WEIGHTING = Weighting.BINARY;

    public static void main(String[] argv) {
        try {
            run(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(String[] argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("usage: recsys wals|wals-tune|melu [flags]; see " + Main.class.getName());
        }
        switch (argv[0]) {
            case "wals" -> wals(argv);
            case "wals-tune" -> walsTune(argv);
            case "melu" -> melu(argv);
            default -> throw new IllegalArgumentException("unknown command [" + argv[0] + "]; expected wals, wals-tune or melu");
        }
    }

    private static void wals(String[] argv) {
        Set<String> flags = new HashSet<>(WALS_FLAGS);
        flags.addAll(Set.of("train", "recs", "k"));
        Args args = new Args(argv, 1, flags);
        Path train = args.requiredPath("train");
        Path recs = args.requiredPath("recs");
        int k = args.integer("k", 10);
        WalsParams params = walsParams(args);
        Weighting weighting = Weighting.fromId(args.string("weight", DEFAULT_WEIGHTING.id()));

        long start = System.nanoTime();
        List<Rating> rows = InteractionFiles.read(train);
        InteractionMatrix matrix = WalsRecommendations.matrix(rows, weighting);
        System.err.printf(Locale.ROOT, "read %d rows: %d users, %d items, %d interactions%n", rows.size(), matrix.users().size(), matrix.items().size(), matrix.nnz());
        WalsModel model = new WalsTrainer(params).listener(
            (it, n, loss, seconds) -> System.err.printf(Locale.ROOT, "iteration %d/%d loss %.4f (%.3f s)%n", it, n, loss, seconds)
        ).train(matrix);
        Map<String, List<String>> top = WalsRecommendations.topN(model, matrix.byUser(), k);
        try (BufferedWriter out = Files.newBufferedWriter(recs)) {
            for (Map.Entry<String, List<String>> e : top.entrySet()) {
                int rank = 1;
                for (String item : e.getValue()) {
                    out.write(e.getKey() + "\t" + item + "\t" + rank++ + "\n");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + recs + ": " + e.getMessage(), e);
        }
        System.err.printf(Locale.ROOT, "wrote top %d for %d users to %s in %.1f s (%s, weight=%s)%n", k, top.size(), recs, (System.nanoTime() - start) / 1e9, params, weighting.id());
    }

    private static void walsTune(String[] argv) {
        Set<String> flags = new HashSet<>(WALS_FLAGS);
        flags.add("train");
        Args args = new Args(argv, 1, flags);
        List<Rating> rows = InteractionFiles.read(args.requiredPath("train"));
        List<WalsTuning.Trial> trials = WalsTuning.grid(rows, walsParams(args), args.integer("seed", 1), t -> System.err.println(t));
        System.out.println("best 10 of " + trials.size() + " on the validation carve-out:");
        trials.stream().limit(10).forEach(System.out::println);
    }

    /**
     * MeLU flags are the parameters' names with '-' for '_' ({@code --local-steps}). Features come from {@code
     * --features DIR} (default: the directory above TRAIN's, where MovieLens keeps {@code u.user}). Without {@code
     * --support}, 20% of TRAIN's users with 13–100 ratings become validation users split as P4's new users.
     */
    private static void melu(String[] argv) {
        Set<String> flags = new HashSet<>(MeluParams.NAMES.stream().map(n -> n.replace('_', '-')).toList());
        flags.addAll(Set.of("train", "support", "query", "predictions", "unadapted-predictions", "features", "validation-seed", "latency-runs"));
        Args args = new Args(argv, 1, flags);
        Path trainFile = args.requiredPath("train");
        MeluParams params = MeluParams.from(name -> args.string(name.replace('_', '-'), null));
        Path featureDir = args.has("features") ? args.requiredPath("features") : trainFile.toAbsolutePath().getParent().getParent();
        MovieLensFeatures features = MovieLensFeatures.read(featureDir);
        List<Rating> train = InteractionFiles.read(trainFile);
        List<Rating> support;
        List<Rating> query;
        if (args.has("support") || args.has("query") || args.has("predictions")) {
            support = InteractionFiles.read(args.requiredPath("support"));
            query = InteractionFiles.read(args.requiredPath("query"));
            args.requiredPath("predictions");
        } else {
            NewUserSplit split = NewUserSplit.carveOut(train, 0.2, 13, 100, MeluPredictions.QUERY_RATINGS, args.integer("validation-seed", 1));
            train = split.train();
            support = split.support();
            query = split.query();
            System.err.printf(Locale.ROOT, "validation carve-out: %d training rows, %d new users%n", train.size(), query.size() / MeluPredictions.QUERY_RATINGS);
        }
        long start = System.nanoTime();
        MeluModel model = MeluPredictions.train(train, features, params, (epoch, epochs, loss, seconds) ->
            System.err.printf(Locale.ROOT, "epoch %d/%d query loss %.4f (%.1f s)%n", epoch, epochs, loss, seconds));
        System.err.printf(Locale.ROOT, "trained in %.1f s (%s)%n", (System.nanoTime() - start) / 1e9, params);
        MeluPredictions.Predictions adapted = MeluPredictions.predict(model, features, support, query, true);
        MeluPredictions.Predictions unadapted = MeluPredictions.predict(model, features, support, query, false);
        System.err.printf(Locale.ROOT, "%d query users, %d adapted; %d support ratings of unknown items skipped, %d query items unknown%n",
            adapted.users(), adapted.adaptedUsers(), adapted.unknownSupportItems(), adapted.unknownQueryItems());
        System.out.println("global mean: " + RatingMetrics.evaluate(query, RatingBaselines.globalMean(train, query)));
        System.out.println("item mean:   " + RatingMetrics.evaluate(query, RatingBaselines.itemMean(train, query)));
        System.out.println("unadapted:   " + RatingMetrics.evaluate(query, unadapted.values()));
        System.out.println("MeLU:        " + RatingMetrics.evaluate(query, adapted.values()));
        if (args.has("predictions")) {
            writePredictions(query, adapted.values(), args.requiredPath("predictions"));
        }
        if (args.has("unadapted-predictions")) {
            writePredictions(query, unadapted.values(), args.requiredPath("unadapted-predictions"));
        }
        int runs = args.integer("latency-runs", 0);
        for (int size : runs > 0 ? new int[] { 5, 20 } : new int[0]) {
            MeluLatency.Result r = MeluLatency.measure(model, features, support, size, runs);
            System.out.printf(Locale.ROOT, "adapt latency, %d support ratings, %d local steps: p50 %.1f µs, p99 %.1f µs (%d runs)%n",
                size, params.localSteps(), r.p50Micros(), r.p99Micros(), runs);
        }
    }

    private static void writePredictions(List<Rating> query, float[] predicted, Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < predicted.length; i++) {
                out.write(query.get(i).user() + "\t" + query.get(i).item() + "\t" + String.format(Locale.ROOT, "%.5f", predicted[i]) + "\n");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** WALS flags are the parameters' names with '-' for '_' ({@code --cg-steps}). */
    static WalsParams walsParams(Args args) {
        return WalsParams.from(new WalsParams.Source() {
            @Override
            public int integer(String name, int defaultValue) {
                return args.integer(name.replace('_', '-'), defaultValue);
            }

            @Override
            public float number(String name, float defaultValue) {
                return args.number(name.replace('_', '-'), defaultValue);
            }

            @Override
            public String string(String name, String defaultValue) {
                return args.string(name.replace('_', '-'), defaultValue);
            }
        }, WalsParams.defaults().threads());
    }
}

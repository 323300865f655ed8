package org.recsys.core.cli;

import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.MeluLatency;
import org.recsys.core.eval.MeluPredictions;
import org.recsys.core.eval.MovieLensFeatures;
import org.recsys.core.eval.NewUserSplit;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.RatingBaselines;
import org.recsys.core.eval.RatingMetrics;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.util.SuppressForbidden;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code scripts/recsys melu}: MeLU on protocol P4, offline. */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class MeluCommand {

    private MeluCommand() {}

    /**
     * MeLU flags are the parameters' names with '-' for '_' ({@code --local-steps}). Features come from {@code
     * --features DIR} (default: the directory above TRAIN's, where MovieLens keeps {@code u.user}). Without {@code
     * --support}, 20% of TRAIN's users with 13–100 ratings become validation users split as P4's new users.
     */
    static void run(String[] argv) {
        Set<String> flags = new HashSet<>(MeluParams.NAMES.stream().map(n -> n.replace('_', '-')).toList());
        flags.addAll(
            Set.of("train", "support", "query", "predictions", "unadapted-predictions", "features", "validation-seed", "latency-runs")
        );
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
            NewUserSplit split =
                NewUserSplit.carveOut(train, 0.2, 13, 100, MeluPredictions.QUERY_RATINGS, args.integer("validation-seed", 1));
            train = split.train();
            support = split.support();
            query = split.query();
            System.err.printf(
                Locale.ROOT,
                "validation carve-out: %d training rows, %d new users%n",
                train.size(),
                query.size() / MeluPredictions.QUERY_RATINGS
            );
        }
        long start = System.nanoTime();
        MeluModel model = MeluPredictions.train(
            train,
            features,
            params,
            (epoch, epochs, loss, seconds) -> System.err
                .printf(Locale.ROOT, "epoch %d/%d query loss %.4f (%.1f s)%n", epoch, epochs, loss, seconds)
        );
        System.err.printf(Locale.ROOT, "trained in %.1f s (%s)%n", (System.nanoTime() - start) / 1e9, params);
        MeluPredictions.Predictions adapted = MeluPredictions.predict(model, features, support, query, true);
        MeluPredictions.Predictions unadapted = MeluPredictions.predict(model, features, support, query, false);
        System.err.printf(
            Locale.ROOT,
            "%d query users, %d adapted; %d support ratings of unknown items skipped, %d query items unknown%n",
            adapted.users(),
            adapted.adaptedUsers(),
            adapted.unknownSupportItems(),
            adapted.unknownQueryItems()
        );
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
        for (int size : runs > 0 ? new int[]{ 5, 20 } : new int[0]) {
            MeluLatency.Result r = MeluLatency.measure(model, features, support, size, runs);
            System.out.printf(
                Locale.ROOT,
                "adapt latency, %d support ratings, %d local steps: p50 %.1f µs, p99 %.1f µs (%d runs)%n",
                size,
                params.localSteps(),
                r.p50Micros(),
                r.p99Micros(),
                runs
            );
        }
    }

    private static void writePredictions(List<Rating> query, float[] predicted, Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < predicted.length; i++) {
                out.write(
                    query.get(i).user() + "\t" + query.get(i).item() + "\t" + String.format(Locale.ROOT, "%.5f", predicted[i]) + "\n"
                );
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

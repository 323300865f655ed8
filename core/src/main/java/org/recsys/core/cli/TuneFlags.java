package org.recsys.core.cli;

import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.data.TimedInteractions;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.Weighting;
import org.recsys.core.tuning.CarveOuts;
import org.recsys.core.tuning.SearchSpace;
import org.recsys.core.tuning.TuneSettings;
import org.recsys.core.tuning.ValidationMetric;
import org.recsys.core.tuning.WalsSearch;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsParams;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code scripts/recsys wals --tune}: the search {@code _train}'s {@code tune} runs, on a file.
 * <pre>
 *   --tune [--trials 30] [--max-seconds S] [--validation-share 0.25] [--validation random|recent] [--metric ndcg@10] [--tune-seed 1]
 * </pre>
 * WALS flags given on the command line are fixed; the other searchable parameters are searched over their default
 * ranges. {@code --validation recent} holds out each user's latest rows (by the file's timestamps).
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class TuneFlags {

    static final Set<String> FLAGS = Set.of("trials", "max-seconds", "validation-share", "validation", "metric", "tune-seed");

    private TuneFlags() {}

    /** The chosen parameters and the matrix of all rows to train them on. */
    record Tuned(WalsParams params, InteractionMatrix matrix) {}

    /** Searches, printing each trial to stderr and the choice to stdout. */
    static Tuned tune(Args args, List<Rating> rows, Weighting weighting, WalsParams base) {
        TuneSettings settings = settings(args, args.integer("trials", TuneSettings.DEFAULT_TRIALS));
        Set<String> fixed = new HashSet<>();
        for (String name : SearchSpace.NAMES) {
            if (args.has(name.replace('_', '-'))) {
                fixed.add(name);
            }
        }
        SearchSpace space = SearchSpace.defaults(fixed);
        CarveOuts carveOuts = carveOuts(args, rows, weighting, settings);
        WalsSearch.Result result = WalsSearch.run(
            carveOuts,
            base,
            space,
            settings,
            (trial, planned) -> System.err.printf(
                Locale.ROOT,
                "trial %d/%d bracket %d rung %d carve-out %d %s iterations=%d %s=%.4f (%.2f s)%n",
                trial.number(),
                planned,
                trial.bracket(),
                trial.rung(),
                trial.carveOut(),
                trial.values(),
                trial.iterations(),
                settings.metric(),
                trial.metric(),
                trial.seconds()
            ),
            Workers.offline()
        );
        System.out.printf(
            Locale.ROOT,
            "chosen after %d trials (%.1f s, stopped by %s): %s, validation %s %.4f (best over the start: %.2f standard errors)%n",
            result.trials().size(),
            result.seconds(),
            result.stoppedBy(),
            result.chosenValues(),
            settings.metric(),
            result.chosenMetric(),
            result.bestOverStart()
        );
        return new Tuned(result.chosen(), carveOuts.full());
    }

    /** The validation flags (the budget's {@code trials} given: a command that does not search has none). */
    static TuneSettings settings(Args args, int trials) {
        return new TuneSettings(
            trials,
            args.has("max-seconds") ? args.number("max-seconds", 0) : Double.POSITIVE_INFINITY,
            args.number("validation-share", (float) TuneSettings.DEFAULT_VALIDATION_SHARE),
            ValidationMetric.parse(args.string("metric", ValidationMetric.DEFAULT.toString()), ""),
            args.integer("tune-seed", (int) TuneSettings.DEFAULT_SEED)
        ).check("");
    }

    /** The carve-outs of {@code rows} a search (or {@link ValidateCommand}) scores on: {@code --validation random|recent}. */
    static CarveOuts carveOuts(Args args, List<Rating> rows, Weighting weighting, TuneSettings settings) {
        boolean recent = switch (args.string("validation", "random")) {
            case "random" -> false;
            case "recent" -> true;
            default -> throw new IllegalArgumentException(
                "flag [--validation] must be random or recent, got [" + args.string("validation", "") + "]"
            );
        };
        TimedInteractions timed = new TimedInteractions();
        for (Rating r : rows) {
            timed.add(r.user(), r.item(), weighting.weight(r), r.timestamp());
        }
        TimedInteractions.Built built = timed.build();
        return new CarveOuts(built.matrix(), recent ? built.times() : null, settings.validationShare(), settings.seed());
    }
}

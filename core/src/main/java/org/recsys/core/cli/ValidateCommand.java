package org.recsys.core.cli;

import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.Weighting;
import org.recsys.core.tuning.CarveOuts;
import org.recsys.core.tuning.TuneSettings;
import org.recsys.core.tuning.ValidationMetric;
import org.recsys.core.tuning.ValidationSplit;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code scripts/recsys wals-validate}: one WALS configuration scored on validation carve-outs of a training file, the
 * ones {@code wals --tune} uses (carve-out i held out with seed {@code --tune-seed} + i), so that a configuration can
 * be compared with a search's trials, or with another, without reading the test file.
 * <pre>
 *   wals-validate --train TRAIN.tsv [WALS flags] [--carve-outs 3] [--tune-seed 1] [--validation-share 0.25]
 *                 [--validation random|recent] [--metric ndcg@10]
 * </pre>
 * Prints each carve-out's metric (the mean over its users, at most {@link ValidationMetric#MAX_USERS} of them) and
 * their mean to stdout.
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout")
final class ValidateCommand {

    /** A carve-out's seed is the tune seed plus its number: more than this many is a typo, not a study. */
    static final int MAX_CARVE_OUTS = 100;

    private ValidateCommand() {}

    static void run(String[] argv) {
        Set<String> flags = new HashSet<>(Main.WALS_FLAGS);
        flags.addAll(Set.of("train", "carve-outs", "validation-share", "validation", "metric", "tune-seed"));
        Args args = new Args(argv, 1, flags);
        WalsParams params = Main.walsParams(args);
        Weighting weighting = Main.weighting(args);
        TuneSettings settings = TuneFlags.settings(args, 1);
        List<Rating> rows = InteractionFiles.read(args.requiredPath("train"));
        CarveOuts carveOuts = TuneFlags.carveOuts(args, rows, weighting, settings);
        int count = args.integer("carve-outs", carveOuts.count());
        if (count < 1 || count > MAX_CARVE_OUTS || count > 1 && carveOuts.times() != null) {
            throw new IllegalArgumentException(
                "flag [--carve-outs] is ["
                    + count
                    + "]; it must be in 1.."
                    + MAX_CARVE_OUTS
                    + (carveOuts.times() != null ? ", and 1 with --validation recent (its carve-outs are all the same)" : "")
            );
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            ValidationSplit split = carveOuts.get(i);
            WalsModel model = new WalsTrainer(params).computeLoss(false).train(split.fit());
            int[] users = ValidationMetric.users(split, settings.seed() + i);
            double metric = ValidationMetric.mean(settings.metric().perUser(model, split, users));
            sum += metric;
            System.out.printf(
                Locale.ROOT,
                "carve-out %d (seed %d): %s %.4f over %d users (%.2f s)%n",
                i,
                settings.seed() + i,
                settings.metric(),
                metric,
                users.length,
                (System.nanoTime() - start) / 1e9
            );
        }
        System.out.printf(
            Locale.ROOT,
            "mean over %d carve-outs: %s %.4f (%s, weight=%s)%n",
            count,
            settings.metric(),
            sum / count,
            params,
            weighting.id()
        );
    }
}

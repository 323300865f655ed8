package org.recsys.core.cli;

import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.WalsRecommendations;
import org.recsys.core.eval.WalsTuning;
import org.recsys.core.eval.Weighting;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

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
 *             [--tune [tune flags]]                                    first choose the unset WALS flags: see {@link TuneFlags}
 *   wals-tune --train TRAIN.tsv [WALS flags]                           grid search on a carve-out of TRAIN only
 *   wals-validate --train TRAIN.tsv [WALS flags]                       one configuration on --tune's carve-outs: see {@link ValidateCommand}
 *   projection, projection-tune                                        cold items from text: see {@link ProjectionCommands}
 *   finetune                                                           encoder tuned onto WALS factors: see {@link FinetuneCommand}
 *   melu      --train TRAIN.tsv [--support S.tsv --query Q.tsv --predictions OUT.tsv] [MeLU flags]
 *             P4 predictions (user item rating); without them, MAE and nDCG on a carve-out: see {@link MeluCommand}
 *   fusion                                                             fused top-k of WALS candidates: see {@link FusionCommands}
 *   sequential --train TRAIN.tsv --valid VALID.tsv --recs OUT.tsv      next item (P3): see {@link SequentialCommand}
 *   baseline  --kind popularity|ease|transitions --train TRAIN.tsv [--valid VALID.tsv] --recs OUT.tsv
 *             reference models of P1 and P3: see {@link BaselineCommand}
 *   hybrid    --train TRAIN.tsv --items ITEMS.jsonl --encoder DIR --recs OUT.tsv   a mixed catalogue (P5): see {@link HybridCommand}
 * </pre>
 * WALS flags override the tuned defaults: --rank --iterations --lambda --alpha --confidence linear|log --epsilon
 * --w0 --user-weight-exponent --user-lambda-exponent --solver cg|cholesky --cg-steps --threads --seed --weight binary|rating.
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
public final class Main {

    static final Set<String> WALS_FLAGS = Set.of(
        "rank",
        "iterations",
        "lambda",
        "alpha",
        "confidence",
        "epsilon",
        "w0",
        "user-weight-exponent",
        "user-lambda-exponent",
        "solver",
        "cg-steps",
        "threads",
        "seed",
        "weight"
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
            throw new IllegalArgumentException(
                "usage: recsys wals|wals-tune|wals-validate|projection|projection-tune|finetune|melu|fusion|sequential|baseline|hybrid [flags]; see "
                    + Main.class.getName()
            );
        }
        switch (argv[0]) {
            case "wals" -> wals(argv);
            case "wals-tune" -> walsTune(argv);
            case "wals-validate" -> ValidateCommand.run(argv);
            case "projection" -> ProjectionCommands.projection(argv);
            case "projection-tune" -> ProjectionCommands.tune(argv);
            case "finetune" -> FinetuneCommand.run(argv);
            case "melu" -> MeluCommand.run(argv);
            case "fusion" -> FusionCommands.fusion(argv);
            case "sequential" -> SequentialCommand.run(argv);
            case "baseline" -> BaselineCommand.run(argv);
            case "hybrid" -> HybridCommand.run(argv);
            default -> throw new IllegalArgumentException(
                "unknown command ["
                    + argv[0]
                    + "]; expected wals, wals-tune, wals-validate, projection, projection-tune, finetune, melu, fusion, sequential, baseline or hybrid"
            );
        }
    }

    private static void wals(String[] argv) {
        Set<String> flags = new HashSet<>(WALS_FLAGS);
        flags.addAll(Set.of("train", "recs", "k"));
        flags.addAll(TuneFlags.FLAGS);
        Args args = new Args(argv, 1, flags, Set.of("tune"));
        Path train = args.requiredPath("train");
        Path recs = args.requiredPath("recs");
        int k = args.integer("k", 10);
        WalsParams params = walsParams(args);
        Weighting weighting = weighting(args);

        long start = System.nanoTime();
        List<Rating> rows = InteractionFiles.read(train);
        InteractionMatrix matrix;
        if (args.has("tune")) {
            TuneFlags.Tuned tuned = TuneFlags.tune(args, rows, weighting, params);
            params = tuned.params();
            matrix = tuned.matrix();
        } else {
            matrix = WalsRecommendations.matrix(rows, weighting);
        }
        System.err.printf(
            Locale.ROOT,
            "read %d rows: %d users, %d items, %d interactions%n",
            rows.size(),
            matrix.users().size(),
            matrix.items().size(),
            matrix.nnz()
        );
        WalsModel model =
            new WalsTrainer(params)
                .listener(
                    (it, n, loss, seconds) -> System.err.printf(Locale.ROOT, "iteration %d/%d loss %.4f (%.3f s)%n", it, n, loss, seconds)
                )
                .train(matrix);
        Map<String, List<String>> top = WalsRecommendations.topN(model, matrix.byUser(), k);
        RecsFile.write(recs, top);
        System.err.printf(
            Locale.ROOT,
            "wrote top %d for %d users to %s in %.1f s (%s, weight=%s)%n",
            k,
            top.size(),
            recs,
            (System.nanoTime() - start) / 1e9,
            params,
            weighting.id()
        );
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

    static Weighting weighting(Args args) {
        return Weighting.fromId(args.string("weight", DEFAULT_WEIGHTING.id()));
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

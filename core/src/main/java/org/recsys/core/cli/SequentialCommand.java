package org.recsys.core.cli;

import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.SequentialRecommendations;
import org.recsys.core.sequential.SequentialModel;
import org.recsys.core.sequential.SequentialModelFile;
import org.recsys.core.sequential.SequentialParams;
import org.recsys.core.util.SuppressForbidden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Next-item recommendations (protocol P3) from a causal or masked-item transformer, fused with the transition score
 * at the weight the validation step chose (see {@link org.recsys.core.sequential.TransitionFusion}):
 * <pre>
 *   sequential --train TRAIN.tsv --valid VALID.tsv --recs OUT.tsv [--k 10] [--model OUT.bin] [--fusion false] [flags]
 *   sequential --from-model MODEL.bin --train TRAIN.tsv --valid VALID.tsv --recs OUT.tsv [--k 10] [--fusion false]
 * </pre>
 * {@code --from-model} ranks with a model written earlier by {@code --model} instead of training one;
 * {@code --fusion false} ranks by the network's score alone (the model file keeps its fusion).
 * Trains on TRAIN with early stopping on VALID (each user's next item), then writes every user's top k for the step
 * after their TRAIN + VALID history, excluding the items in it. Rows are TSV {@code user item rating timestamp} in any
 * order; each user's are put in order of timestamp (ties keep their file order, TRAIN's before VALID's). Flags override {@link SequentialParams#defaults()}: --hidden --layers --heads
 * --max-length --mask-probability --every-masked true|false --dropout --learning-rate --weight-decay --batch-size
 * --max-epochs --patience --seed --causal true|false --negatives; --threads sets PyTorch's threads (default 2).
 */
@SuppressForbidden(reason = "a command-line tool: results go to stdout, progress to stderr")
final class SequentialCommand {

    private static final Set<String> FLAGS = Set.of(
        "train",
        "valid",
        "recs",
        "k",
        "model",
        "threads",
        "hidden",
        "layers",
        "heads",
        "max-length",
        "mask-probability",
        "every-masked",
        "dropout",
        "learning-rate",
        "weight-decay",
        "batch-size",
        "max-epochs",
        "patience",
        "seed",
        "causal",
        "negatives",
        "from-model",
        "fusion"
    );

    private SequentialCommand() {}

    static void run(String[] argv) {
        Args args = new Args(argv, 1, FLAGS);
        int k = args.integer("k", 10);
        int threads = args.integer("threads", 2);
        // PyTorch reads its thread counts once, when DJL's engine first loads.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        SequentialParams params = params(args);
        List<Rating> train = InteractionFiles.read(args.requiredPath("train"));
        List<Rating> valid = InteractionFiles.read(args.requiredPath("valid"));

        long start = System.nanoTime();
        SequentialRecommendations recommender = args.has("from-model")
            ? SequentialRecommendations.of(readModel(args.requiredPath("from-model")))
            : SequentialRecommendations.train(
                train,
                valid,
                params,
                (epoch, loss, v, seconds) -> System.err.printf(
                    Locale.ROOT,
                    "epoch %d loss %.4f valid HR@10 %.4f NDCG@10 %.4f, fused (transition weight %s) %.4f / %.4f (%.1f s)%n",
                    epoch,
                    loss,
                    v.hitRate(),
                    v.ndcg(),
                    v.weight(),
                    v.fusedHitRate(),
                    v.fusedNdcg(),
                    seconds
                )
            );
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        if (args.has("model")) {
            recommender.writeModel(args.requiredPath("model"));
        }
        SequentialRecommendations ranking = bool(args, "fusion", true) ? recommender : recommender.withoutFusion();
        Map<String, List<String>> top = ranking.topN(train, valid, k, threads);
        RecsFile.write(args.requiredPath("recs"), top);
        String model = args.has("from-model")
            ? "read " + args.requiredPath("from-model")
            : String.format(Locale.ROOT, "trained in %.1f s (best epoch %d, %s)", trainSeconds, recommender.bestEpoch(), params);
        System.err.printf(
            Locale.ROOT,
            "%s; ranked with transition weight %s, threads=%d; wrote top %d for %d users to %s; %s%n",
            model,
            ranking.model().fusion().weight(),
            threads,
            k,
            top.size(),
            args.requiredPath("recs"),
            ranking.skipped()
        );
    }

    private static SequentialModel readModel(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return SequentialModelFile.read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the model [" + file + "]: " + e.getMessage(), e);
        }
    }

    private static SequentialParams params(Args args) {
        SequentialParams d = SequentialParams.defaults();
        return SequentialParams.builder()
            .hidden(args.integer("hidden", d.hidden()))
            .layers(args.integer("layers", d.layers()))
            .heads(args.integer("heads", d.heads()))
            .maxLength(args.integer("max-length", d.maxLength()))
            .maskProbability(args.number("mask-probability", d.maskProbability()))
            .everyMasked(bool(args, "every-masked", d.everyMasked()))
            .dropout(args.number("dropout", d.dropout()))
            .learningRate(args.number("learning-rate", d.learningRate()))
            .weightDecay(args.number("weight-decay", d.weightDecay()))
            .batchSize(args.integer("batch-size", d.batchSize()))
            .maxEpochs(args.integer("max-epochs", d.maxEpochs()))
            .patience(args.integer("patience", d.patience()))
            .seed(args.integer("seed", (int) d.seed()))
            .causal(bool(args, "causal", d.causal()))
            .negatives(args.integer("negatives", d.negatives()))
            .build();
    }

    private static boolean bool(Args args, String flag, boolean defaultValue) {
        String value = args.string(flag, Boolean.toString(defaultValue));
        if (value.equals("true") == false && value.equals("false") == false) {
            throw new IllegalArgumentException("flag [--" + flag + "] must be true or false, got [" + value + "]");
        }
        return Boolean.parseBoolean(value);
    }
}

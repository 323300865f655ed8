package org.recsys.core.melu;

import java.util.List;
import java.util.function.Function;

/**
 * Hyperparameters of MeLU: the network's sizes, the local (per-user) adaptation and the global meta-training.
 *
 * @param embeddingDim  size of every feature embedding; the input row is 8 of them concatenated
 * @param hidden1       units of the first decision layer
 * @param hidden2       units of the second decision layer
 * @param localSteps    SGD steps on the support ratings, during meta-training and at adaptation; 0 = no adaptation
 * @param localLr       learning rate of the local steps
 * @param globalLr      Adam's learning rate for the meta-update
 * @param batchSize     users (tasks) per meta-update
 * @param epochs        passes over the training users
 * @param metaGradient  first or second order
 * @param maxSupport    the newest this many support ratings of a training user are used (P4's new users have 3–90)
 * @param minRating     the bottom of the rating scale: predictions are clamped to the scale, ratings outside it refused
 * @param maxRating     the top of the rating scale
 * @param threads       workers; the result does not depend on it
 * @param seed          seed of the initial parameters and of the order of tasks
 */
public record MeluParams(
    int embeddingDim,
    int hidden1,
    int hidden2,
    int localSteps,
    float localLr,
    float globalLr,
    int batchSize,
    int epochs,
    MetaGradient metaGradient,
    int maxSupport,
    float minRating,
    float maxRating,
    int threads,
    long seed
) {

    public MeluParams {
        check(embeddingDim >= 1 && embeddingDim <= 1024, "embedding_dim", embeddingDim, "between 1 and 1024");
        check(hidden1 >= 1 && hidden1 <= 4096, "hidden1", hidden1, "between 1 and 4096");
        check(hidden2 >= 1 && hidden2 <= 4096, "hidden2", hidden2, "between 1 and 4096");
        check(localSteps >= 0 && localSteps <= 100, "local_steps", localSteps, "between 0 and 100");
        check(localLr >= 0 && Float.isFinite(localLr), "local_lr", localLr, "finite and >= 0");
        check(globalLr > 0 && Float.isFinite(globalLr), "global_lr", globalLr, "finite and > 0");
        check(batchSize >= 1 && batchSize <= 100_000, "batch_size", batchSize, "between 1 and 100000");
        check(epochs >= 1 && epochs <= 1000, "epochs", epochs, "between 1 and 1000");
        check(metaGradient != null, "meta_gradient", metaGradient, "first or second");
        check(maxSupport >= 1 && maxSupport <= 10_000, "max_support", maxSupport, "between 1 and 10000");
        check(Float.isFinite(minRating), "min_rating", minRating, "a finite number");
        check(
            maxRating > minRating && Float.isFinite(maxRating),
            "max_rating",
            maxRating,
            "finite and above min_rating [" + minRating + "]"
        );
        check(threads >= 1, "threads", threads, "at least 1");
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (ok == false) {
            throw new IllegalArgumentException("[" + name + "] is [" + value + "]; it must be " + expected);
        }
    }

    /** Defaults chosen on a validation carve-out of the P4 training users (see docs/melu.md). */
    public static MeluParams defaults() {
        return new MeluParams(
            32,
            64,
            64,
            5,
            0.005f,
            0.001f,
            32,
            6,
            MetaGradient.FIRST_ORDER,
            90,
            1f,
            5f,
            Runtime.getRuntime().availableProcessors(),
            42L
        );
    }

    /**
     * The parameters that {@code source} names by their snake_case names (a request body, command-line flags; null
     * for absent), the {@link #defaults()} for the others.
     */
    public static MeluParams from(Function<String, String> source) {
        MeluParams d = defaults();
        return new MeluParams(
            integer(source, "embedding_dim", d.embeddingDim),
            integer(source, "hidden1", d.hidden1),
            integer(source, "hidden2", d.hidden2),
            integer(source, "local_steps", d.localSteps),
            number(source, "local_lr", d.localLr),
            number(source, "global_lr", d.globalLr),
            integer(source, "batch_size", d.batchSize),
            integer(source, "epochs", d.epochs),
            source.apply("meta_gradient") == null ? d.metaGradient : MetaGradient.fromId(source.apply("meta_gradient")),
            integer(source, "max_support", d.maxSupport),
            number(source, "min_rating", d.minRating),
            number(source, "max_rating", d.maxRating),
            integer(source, "threads", d.threads),
            integer(source, "seed", (int) d.seed)
        );
    }

    /** The names {@link #from} reads. */
    public static final List<String> NAMES = List.of(
        "embedding_dim",
        "hidden1",
        "hidden2",
        "local_steps",
        "local_lr",
        "global_lr",
        "batch_size",
        "epochs",
        "meta_gradient",
        "max_support",
        "min_rating",
        "max_rating",
        "threads",
        "seed"
    );

    private static int integer(Function<String, String> source, String name, int defaultValue) {
        String v = source.apply(name);
        try {
            return v == null ? defaultValue : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + name + "] is [" + v + "]; it must be an integer");
        }
    }

    private static float number(Function<String, String> source, String name, float defaultValue) {
        String v = source.apply(name);
        try {
            return v == null ? defaultValue : Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + name + "] is [" + v + "]; it must be a number");
        }
    }

    public MeluParams withThreads(int v) {
        return new MeluParams(
            embeddingDim,
            hidden1,
            hidden2,
            localSteps,
            localLr,
            globalLr,
            batchSize,
            epochs,
            metaGradient,
            maxSupport,
            minRating,
            maxRating,
            v,
            seed
        );
    }
}

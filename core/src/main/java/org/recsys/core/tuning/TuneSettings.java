package org.recsys.core.tuning;

/**
 * The budget and the validation of a hyperparameter search.
 *
 * @param trials          the most trials: trainings of a configuration to a rung, each scored (see {@link WalsSearch})
 * @param maxSeconds      no trial starts after this many seconds of search; infinite when not set
 * @param validationShare the share of each user's items held out for validation, in (0, 0.5]
 * @param metric          what the search maximises on the held-out items
 * @param seed            seed of the carve-out and of the proposals
 */
public record TuneSettings(int trials, double maxSeconds, double validationShare, ValidationMetric metric, long seed) {

    /** About ten to fifteen trainings' time on MovieLens-sized data (docs/benchmarks.md, Tune). */
    public static final int DEFAULT_TRIALS = 16;
    public static final double DEFAULT_VALIDATION_SHARE = 0.25;
    public static final long DEFAULT_SEED = 1;

    public static TuneSettings defaults() {
        return new TuneSettings(DEFAULT_TRIALS, Double.POSITIVE_INFINITY, DEFAULT_VALIDATION_SHARE, ValidationMetric.DEFAULT, DEFAULT_SEED);
    }

    /** Checks the values; errors name the field under {@code path} ({@code tune} in a request, empty on the command line). */
    public TuneSettings check(String path) {
        if (trials < 1) {
            throw new IllegalArgumentException("[" + SearchSpace.name(path, "trials") + "] is [" + trials + "]; it must be at least 1");
        }
        if ((maxSeconds > 0) == false) {
            throw new IllegalArgumentException("[" + SearchSpace.name(path, "max_seconds") + "] is [" + maxSeconds + "]; it must be > 0");
        }
        ValidationSplit.checkShare(validationShare, path);
        return this;
    }

    public TuneSettings withTrials(int v) {
        return new TuneSettings(v, maxSeconds, validationShare, metric, seed);
    }

    public TuneSettings withMaxSeconds(double v) {
        return new TuneSettings(trials, v, validationShare, metric, seed);
    }
}

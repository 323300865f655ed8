package org.recsys.core.tuning;

import org.recsys.core.wals.Confidence;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;
import org.recsys.core.util.Workers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Hyperparameter search for WALS by successive halving, in two brackets. The first tries half the configurations:
 * the starting parameters (the tuned defaults, clipped into the space), the same with nearly binary weights
 * ({@link #nearlyBinary}) and random draws from the space. The second
 * tries neighbours of the first bracket's best three (one or two parameters moved). In a bracket, every configuration
 * trains 2 iterations and is scored on the validation carve-out; the best third continue, warm-started, to 5; the best
 * third of those to all of their iterations; the starting configuration is always promoted, and stays the choice
 * unless the best beats it by {@link #MIN_Z} paired standard errors on the validation users. A promoted configuration continues from its factors, so
 * reaching the last rung costs it one training. The chosen configuration is the best on the last rung (or, when
 * {@code max_seconds} stopped the search early, the best on the highest rung reached).
 */
public final class WalsSearch {

    static final int ETA = 3;
    static final int RUNGS = 3;
    /** How far a neighbour moves: the standard deviation of a step, as a share of a range's width on its scale. */
    static final double NEIGHBOUR_SCALE = 0.25;
    /** The iterations of the last rung from which the early rungs' are a third and a ninth: the default iterations. */
    static final int EARLY_ITERATIONS = 15;
    /**
     * How far above the starting configuration, in paired standard errors over the validation users, the best must
     * score to replace it: on P1's carve-outs a gain of one or two errors did not hold on the test (docs/benchmarks.md).
     */
    static final double MIN_Z = 2;
    /** The first configurations of the first bracket, the start and its nearly binary twin, promoted whatever they score. */
    static final int SEEDED = 2;

    /**
     * One configuration scored at one rung.
     *
     * @param values     the searched parameters' values
     * @param iterations iterations trained when scored (the configuration's own iterations on the last rung)
     * @param seconds    training (from the previous rung) and scoring
     */
    public record Trial(int number, int bracket, int rung, Map<String, Object> values, int iterations, double metric, double seconds) {}

    /**
     * @param stoppedBy {@code trials} when the budget of configurations was spent, {@code max_seconds} when time ran out
     */
    /**
     * @param bestOverStart the best configuration's paired z over the starting one (NaN when the start was best): the
     *                      start is chosen unless it is at least {@link #MIN_Z}
     */
    public record Result(
        List<Trial> trials,
        WalsParams chosen,
        Map<String, Object> chosenValues,
        double chosenMetric,
        double bestOverStart,
        String stoppedBy,
        double seconds
    ) {}

    @FunctionalInterface
    public interface Listener {
        /** @param planned how many trials the whole search holds at most */
        void trialDone(Trial trial, int planned);
    }

    private static final class Candidate {
        final WalsParams params;
        final int order;
        WalsModel model;
        int iterationsRun;
        double metric = Double.NEGATIVE_INFINITY;
        double[] perUser;

        Candidate(WalsParams params, int order) {
            this.params = params;
            this.order = order;
        }

        int rung = -1;

        boolean complete() {
            return iterationsRun == params.iterations();
        }
    }

    /** Within a rung: the best score first, the earlier configuration on ties. */
    private static final Comparator<Candidate> BY_SCORE = Comparator.<Candidate>comparingDouble(c -> -c.metric).thenComparingInt(c -> c.order);

    /** Across the search: those that ran all their iterations, then the highest rung, then by score. */
    private static final Comparator<Candidate> BEST_FIRST = Comparator.<Candidate, Boolean>comparing(c -> c.complete() == false)
        .thenComparingInt(c -> -c.rung)
        .thenComparing(BY_SCORE);

    private final ValidationSplit split;
    private final SearchSpace space;
    private final TuneSettings settings;
    private final Listener listener;
    private final Workers workers;
    private final int[] users;
    private final List<Trial> trials = new ArrayList<>();
    private long start;
    private boolean outOfTime;

    private WalsSearch(ValidationSplit split, SearchSpace space, TuneSettings settings, Listener listener, Workers workers) {
        this.split = split;
        this.space = space;
        this.settings = settings;
        this.listener = listener;
        this.workers = workers;
        this.users = ValidationMetric.users(split, settings.seed());
    }

    /**
     * Searches {@code space} around {@code base} (whose unsearched parameters every trial keeps: threads, solver,
     * seed and whatever the request fixed). Trials train on {@code workers}; throws {@link CancellationException} when it is cancelled,
     * checked between trials and between a trial's iterations.
     */
    public static Result run(ValidationSplit split, WalsParams base, SearchSpace space, TuneSettings settings, Listener listener, Workers workers) {
        return new WalsSearch(split, space, settings, listener, workers).run(base);
    }

    private Result run(WalsParams base) {
        start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(settings.seed());
        int configurations = space.isEmpty() ? 1 : configurations(settings.trials());
        int first = firstBracket(configurations);
        int second = configurations - first;
        int planned = cost(configurations);

        List<Candidate> firstBracket = new ArrayList<>();
        firstBracket.add(new Candidate(space.clip(base), 0));
        WalsParams nearlyBinary = space.clip(nearlyBinary(base, split));
        if (first > 1 && nearlyBinary.equals(firstBracket.get(0).params) == false) {
            firstBracket.add(new Candidate(nearlyBinary, 1));
        }
        while (firstBracket.size() < first) {
            firstBracket.add(new Candidate(space.sample(base, random), firstBracket.size()));
        }
        List<Candidate> all = new ArrayList<>(firstBracket);
        bracket(1, firstBracket, planned);

        if (second > 0 && outOfTime == false) {
            List<Candidate> parents = firstBracket.stream().sorted(BEST_FIRST).limit(ETA).toList();
            List<Candidate> secondBracket = new ArrayList<>();
            for (int i = 0; i < second; i++) {
                secondBracket.add(new Candidate(space.near(parents.get(i % parents.size()).params, NEIGHBOUR_SCALE, random), first + i));
            }
            all.addAll(secondBracket);
            bracket(2, secondBracket, planned);
        }

        Candidate best = all.stream().filter(c -> c.iterationsRun > 0).min(BEST_FIRST).orElseThrow();
        Candidate start = all.get(0);
        double z = Double.NaN;
        if (best != start && start.complete() && best.complete()) {
            z = ValidationMetric.pairedZ(best.perUser, start.perUser);
            if (z < MIN_Z) {
                best = start;
            }
        }
        return new Result(List.copyOf(trials), best.params, space.values(best.params), best.metric, z, outOfTime ? "max_seconds" : "trials", seconds());
    }

    /** Successive halving of {@code candidates} over {@link #RUNGS} rungs (fewer for a small bracket). */
    private void bracket(int number, List<Candidate> candidates, int planned) {
        int rungs = rungs(candidates.size());
        List<Candidate> alive = candidates;
        for (int rung = 0; rung < rungs && outOfTime == false; rung++) {
            int keep = rung == rungs - 1 ? alive.size() : ceilDiv(alive.size(), ETA);
            List<Candidate> best = new ArrayList<>(keep + 1);
            for (Candidate c : alive) {
                workers.checkCancelled("tuning cancelled after " + trials.size() + " trials");
                if (trials.isEmpty() == false && seconds() >= settings.maxSeconds()) {
                    outOfTime = true;
                    break;
                }
                train(number, rung, rungs, c, planned);
                best.add(c);
                best.sort(BY_SCORE);
                // The seeded configurations (the start and its nearly binary twin) always reach the last rung: early
                // rungs favour what converges fast, and a search must never end worse on validation than the start.
                for (int i = best.size() - 1; i >= keep; i--) {
                    if (best.get(i).order >= SEEDED) {
                        best.remove(i).model = null;
                        break;
                    }
                }
            }
            alive = best;
        }
        for (Candidate c : candidates) {
            c.model = null;
        }
    }

    private void train(int bracket, int rung, int rungs, Candidate c, int planned) {
        long t0 = System.nanoTime();
        // Early rungs train every configuration alike (2, then 5 iterations), so that their scores compare.
        int target = rung == rungs - 1 ? c.params.iterations() : Math.min(c.params.iterations(), (int) Math.round(EARLY_ITERATIONS / Math.pow(ETA, rungs - 1 - rung)));
        int more = target - c.iterationsRun;
        if (more > 0) {
            WalsTrainer trainer = new WalsTrainer(c.params.withIterations(more)).computeLoss(false).runOn(workers);
            if (c.model != null) {
                trainer.startFrom(c.model);
            }
            c.model = trainer.train(split.fit());
            c.iterationsRun = target;
            c.perUser = settings.metric().perUser(c.model, split, users);
            c.metric = mean(c.perUser);
        }
        c.rung = rung;
        Trial trial = new Trial(trials.size() + 1, bracket, rung, space.values(c.params), c.iterationsRun, c.metric, (System.nanoTime() - t0) / 1e9);
        trials.add(trial);
        listener.trialDone(trial, planned);
    }

    /**
     * The starting configuration with weights that barely matter: log confidence at the smallest ε (1e-2), α scaled so
     * that the mean weight gets the confidence a weight of 1 gets at the start. The defaults were tuned on binary
     * interactions; on ratings (P1's 1 to 5) this is what they would have been, and it is a different configuration
     * only where the weights vary.
     */
    static WalsParams nearlyBinary(WalsParams start, ValidationSplit split) {
        float[] values = split.fit().byUser().values();
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double meanWeight = values.length == 0 ? 1 : sum / values.length;
        float epsilon = 0.01f;
        double target = start.confidence().extra(1f, start.alpha(), start.epsilon());
        return start.withConfidence(Confidence.LOG).withEpsilon(epsilon).withAlpha((float) (target / Math.log1p(meanWeight / epsilon)));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    private static int rungs(int n) {
        int rungs = 1;
        for (int m = n; m > 1 && rungs < RUNGS; m = ceilDiv(m, ETA)) {
            rungs++;
        }
        return rungs;
    }

    /** The most configurations whose brackets hold at most {@code trials} trials (at least one). */
    static int configurations(int trials) {
        int n = 1;
        while (cost(n + 1) <= trials) {
            n++;
        }
        return n;
    }

    /** Trials of n configurations: both brackets, and the starting configuration's promotions beside the best. */
    private static int cost(int n) {
        int first = firstBracket(n);
        return planned(first) + planned(n - first) + SEEDED * (rungs(first) - 1);
    }

    /** How many of n configurations the first bracket tries: all of a few, else half (the larger half). */
    private static int firstBracket(int n) {
        return n < 2 * ETA ? n : (n + 1) / 2;
    }

    /** Trials in a bracket of n configurations. */
    static int planned(int n) {
        int total = 0;
        int m = n;
        for (int rung = 0, rungs = rungs(n); rung < rungs; rung++) {
            total += m;
            m = ceilDiv(m, ETA);
        }
        return total;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}

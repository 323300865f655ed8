package org.recsys.core.tuning;

import org.recsys.core.util.Workers;
import org.recsys.core.wals.Confidence;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Hyperparameter search for WALS by successive halving, in two brackets, then a comparison of the finalists on more
 * carve-outs. The first bracket tries half the configurations: the seeded ones ({@link #seeded}: the tuned defaults
 * with heavy users regularised more, clipped into the space, the same with nearly binary weights, and that with heavy users weighted down) and random
 * draws from the space. The second tries neighbours of the first bracket's best three (one or two parameters moved).
 * In a bracket, every configuration trains 2 iterations and is scored on the first validation carve-out; the best third
 * continue, warm-started, to 5; the best third of those to all of their iterations (a promoted configuration continues
 * from its factors, so reaching the last rung costs it one training); the seeded configurations are always promoted.
 * The start and the best {@link #FINALISTS} − 1 others that ran all their iterations are then trained on the other
 * random carve-outs ({@link CarveOuts}) and compared on all of them, paired by carve-out and user: the best replaces the
 * start only when it beats it by {@link #MIN_Z} paired standard errors. When {@code max_seconds} stops the search
 * early, the best of the highest rung reached is chosen.
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
    /**
     * The most seeded configurations ({@link #seeded}), which open the first bracket and are promoted whatever they
     * score: the start, its nearly binary twin and their user-weighted twin.
     */
    static final int SEEDED = 3;
    /**
     * How many configurations, the start and the best others that ran all their iterations, are re-scored on the
     * other {@link CarveOuts} before the choice: one carve-out alone is too noisy to rank configurations that close.
     */
    static final int FINALISTS = 3;
    /**
     * The user weight exponent of the user-weighted twin: of 0, 0.15, 0.3, 0.45 and 0.5 on validation carve-outs of P1's
     * training file, 0.3 scored best on average, by a gain the size of one carve-out's noise (docs/benchmarks.md).
     */
    static final float USER_WEIGHT_EXPONENT = 0.3f;
    /**
     * The user λ exponent the search starts from when it is searched: on 12 validation carve-outs of P1's training file,
     * 0.5 scored NDCG@10 0.2798 against the plain defaults' 0.2778, 2.95 paired standard errors above them
     * (docs/benchmarks.md); a plain training keeps 0 ({@link WalsParams#defaults()}).
     */
    static final float USER_LAMBDA_EXPONENT = 0.5f;

    /**
     * One configuration scored at one rung.
     *
     * @param bracket    1 or 2; 0 for a finalist re-scored on another carve-out (at rung {@link #RUNGS})
     * @param carveOut   which carve-out scored it: 0, where the brackets run, or another one for a finalist
     * @param values     the searched parameters' values
     * @param iterations iterations trained when scored (the configuration's own iterations on the last rung)
     * @param metric     the validation metric on that carve-out
     * @param seconds    training (from the previous rung) and scoring
     */
    public record Trial(
        int number,
        int bracket,
        int rung,
        int carveOut,
        Map<String, Object> values,
        int iterations,
        double metric,
        double seconds
    ) {}

    /**
     * @param chosenMetric    the chosen configuration's validation metric, over every carve-out it was scored on
     * @param bestOverStart   the best configuration's paired z over the starting one (NaN when the start was best): the
     *                        start is chosen unless it is at least {@link #MIN_Z}
     * @param validationUsers the users with held-out items in the first carve-out (a trial scores at most
     *                        {@link ValidationMetric#MAX_USERS} of them)
     * @param stoppedBy       {@code trials} when the budget of configurations was spent, {@code max_seconds} when time ran out
     */
    public record Result(
        List<Trial> trials,
        WalsParams chosen,
        Map<String, Object> chosenValues,
        double chosenMetric,
        double bestOverStart,
        int validationUsers,
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
    private static final Comparator<Candidate> BY_SCORE =
        Comparator.<Candidate>comparingDouble(c -> -c.metric).thenComparingInt(c -> c.order);

    /** Across the search: those that ran all their iterations, then the highest rung, then by score. */
    private static final Comparator<Candidate> BEST_FIRST =
        Comparator.<Candidate, Boolean>comparing(c -> c.complete() == false).thenComparingInt(c -> -c.rung).thenComparing(BY_SCORE);

    private final CarveOuts carveOuts;
    private ValidationSplit split;
    private int[] users;
    private final SearchSpace space;
    private final TuneSettings settings;
    private final Listener listener;
    private final Workers workers;
    private final List<Trial> trials = new ArrayList<>();
    private long start;
    private boolean outOfTime;
    /** How many of the first bracket's configurations are seeded ({@link #seeded}) and always promoted. */
    private int seededCount;

    private WalsSearch(CarveOuts carveOuts, SearchSpace space, TuneSettings settings, Listener listener, Workers workers) {
        this.carveOuts = carveOuts;
        this.space = space;
        this.settings = settings;
        this.listener = listener;
        this.workers = workers;
    }

    /**
     * Searches {@code space} around {@code base} (whose unsearched parameters every trial keeps: threads, solver,
     * seed and whatever the request fixed). Trials train on {@code workers}; throws {@link CancellationException} when it is cancelled,
     * checked between trials and between a trial's iterations.
     */
    public static Result run(
        CarveOuts carveOuts,
        WalsParams base,
        SearchSpace space,
        TuneSettings settings,
        Listener listener,
        Workers workers
    ) {
        return new WalsSearch(carveOuts, space, settings, listener, workers).run(base);
    }

    private Result run(WalsParams base) {
        start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(settings.seed());
        split = carveOuts.get(0);
        users = ValidationMetric.users(split, settings.seed());
        int validationUsers = 0;
        for (int u = 0; u < split.heldOut().rows(); u++) {
            validationUsers += split.heldOut().rowLength(u) > 0 ? 1 : 0;
        }
        int finals = space.isEmpty() ? 0 : (carveOuts.count() - 1) * FINALISTS;
        int configurations = space.isEmpty() ? 1 : configurations(Math.max(1, settings.trials() - finals));
        int first = firstBracket(configurations);
        int second = configurations - first;
        int planned = cost(configurations) + finals;

        List<Candidate> firstBracket = new ArrayList<>();
        for (WalsParams seeded : seeded(base, space, split)) {
            if (firstBracket.size() < first) {
                firstBracket.add(new Candidate(seeded, firstBracket.size()));
            }
        }
        seededCount = firstBracket.size();
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

        Candidate start = all.get(0);
        List<Candidate> finalists = new ArrayList<>();
        finalists.add(start);
        all.stream().filter(c -> c != start && c.complete()).sorted(BY_SCORE).limit(FINALISTS - 1).forEach(finalists::add);
        if (outOfTime == false && start.complete() && finalists.size() > 1) {
            split = null; // one carve-out at a time besides the interactions
            for (int i = 1; i < carveOuts.count() && outOfTime == false; i++) {
                rescore(i, finalists, carveOuts.get(i), planned);
            }
        }
        Candidate best = all.stream().filter(c -> c.iterationsRun > 0).min(BEST_FIRST).orElseThrow();
        if (start.complete()) {
            best = finalists.stream().sorted(BY_SCORE).findFirst().orElseThrow();
        }
        double z = Double.NaN;
        if (best != start && start.complete() && best.complete()) {
            z = ValidationMetric.pairedZ(best.perUser, start.perUser);
            if (z < MIN_Z) {
                best = start;
            }
        }
        return new Result(
            List.copyOf(trials),
            best.params,
            space.values(best.params),
            best.metric,
            z,
            validationUsers,
            outOfTime ? "max_seconds" : "trials",
            seconds()
        );
    }

    /**
     * Trains every finalist on another carve-out ({@code number}) with all its iterations, and adds its users' scores
     * to the finalist's: the finalists then compare on every carve-out so far, paired by carve-out and user.
     */
    private void rescore(int number, List<Candidate> finalists, ValidationSplit other, int planned) {
        int[] otherUsers = ValidationMetric.users(other, settings.seed() + number);
        double[][] scores = new double[finalists.size()][];
        for (int f = 0; f < finalists.size(); f++) {
            Candidate c = finalists.get(f);
            workers.checkCancelled("tuning cancelled after " + trials.size() + " trials");
            if (seconds() >= settings.maxSeconds()) {
                outOfTime = true;
                return; // a carve-out counts only when every finalist was scored on it
            }
            long t0 = System.nanoTime();
            WalsModel model = new WalsTrainer(c.params).computeLoss(false).runOn(workers).train(other.fit());
            scores[f] = settings.metric().perUser(model, other, otherUsers);
            Trial trial = new Trial(
                trials.size() + 1,
                0,
                RUNGS,
                number,
                space.values(c.params),
                c.params.iterations(),
                ValidationMetric.mean(scores[f]),
                (System.nanoTime() - t0) / 1e9
            );
            trials.add(trial);
            listener.trialDone(trial, planned);
        }
        for (int f = 0; f < finalists.size(); f++) {
            Candidate c = finalists.get(f);
            double[] pooled = Arrays.copyOf(c.perUser, c.perUser.length + scores[f].length);
            System.arraycopy(scores[f], 0, pooled, c.perUser.length, scores[f].length);
            c.perUser = pooled;
            c.metric = ValidationMetric.mean(pooled);
        }
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
                // The seeded configurations (the start and its twins) always reach the last rung: early
                // rungs favour what converges fast, and a search must never end worse on validation than the start.
                for (int i = best.size() - 1; i >= keep; i--) {
                    if (best.get(i).order >= seededCount) {
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
        int target = rung == rungs - 1
            ? c.params.iterations()
            : Math.min(c.params.iterations(), (int) Math.round(EARLY_ITERATIONS / Math.pow(ETA, rungs - 1 - rung)));
        int more = target - c.iterationsRun;
        if (more > 0) {
            WalsTrainer trainer = new WalsTrainer(c.params.toBuilder().iterations(more).build()).computeLoss(false).runOn(workers);
            if (c.model != null) {
                trainer.startFrom(c.model);
            }
            c.model = trainer.train(split.fit());
            c.iterationsRun = target;
            c.perUser = settings.metric().perUser(c.model, split, users);
            c.metric = ValidationMetric.mean(c.perUser);
        }
        c.rung = rung;
        Trial trial = new Trial(
            trials.size() + 1,
            bracket,
            rung,
            0,
            space.values(c.params),
            c.iterationsRun,
            c.metric,
            (System.nanoTime() - t0) / 1e9
        );
        trials.add(trial);
        listener.trialDone(trial, planned);
    }

    /**
     * The configurations every search tries first, distinct and inside the space: the start ({@link #userRegularised},
     * clipped into the space), its {@link #nearlyBinary} twin and the {@link #userWeighted} twin of that.
     */
    static List<WalsParams> seeded(WalsParams start, SearchSpace space, ValidationSplit split) {
        WalsParams clipped = space.clip(userRegularised(start, space));
        WalsParams binary = space.clip(nearlyBinary(clipped, space, split));
        WalsParams weighted = space.clip(userWeighted(binary, space));
        return new ArrayList<>(new LinkedHashSet<>(List.of(clipped, binary, weighted)));
    }

    /**
     * The starting configuration with weights that barely matter: log confidence at the smallest ε (1e-2), α scaled so
     * that the mean weight gets the confidence a weight of 1 gets at the start. The defaults were tuned on binary
     * interactions; on ratings (P1's 1 to 5) this is what they would have been, and it is a different configuration
     * only where the weights vary, so it is the start itself where they do not (and when the request fixes ε or α, or a
     * confidence other than log).
     */
    static WalsParams nearlyBinary(WalsParams start, SearchSpace space, ValidationSplit split) {
        boolean log = start.confidence() == Confidence.LOG || space.searches(SearchSpace.Param.CONFIDENCE);
        if (log == false || space.searches(SearchSpace.Param.EPSILON, SearchSpace.Param.ALPHA) == false) {
            return start;
        }
        float[] values = split.fit().byUser().values();
        double sum = 0;
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min >= max) {
            return start; // equal weights: every confidence gives the same model
        }
        double meanWeight = sum / values.length;
        float epsilon = 0.01f;
        double target = start.confidence().extra(1f, start.alpha(), start.epsilon());
        return start.toBuilder()
            .confidence(Confidence.LOG)
            .epsilon(epsilon)
            .alpha((float) (target / Math.log1p(meanWeight / epsilon)))
            .build();
    }

    /**
     * {@code start} with heavy users' factors regularised more ({@link #USER_LAMBDA_EXPONENT}; the users' λ keep the
     * mean λ). The start itself when the request fixes the exponent.
     */
    static WalsParams userRegularised(WalsParams start, SearchSpace space) {
        return space.searches(SearchSpace.Param.USER_LAMBDA_EXPONENT)
            ? start.toBuilder().userLambdaExponent(USER_LAMBDA_EXPONENT).build()
            : start;
    }

    /**
     * {@code start} with heavy users' interactions counting less each ({@link #USER_WEIGHT_EXPONENT}; the user weights'
     * mean is 1, so α keeps its meaning). The start itself when the request fixes the exponent.
     */
    static WalsParams userWeighted(WalsParams start, SearchSpace space) {
        return space.searches(SearchSpace.Param.USER_WEIGHT_EXPONENT)
            ? start.toBuilder().userWeightExponent(USER_WEIGHT_EXPONENT).build()
            : start;
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

package org.recsys.core.wals;

import org.recsys.core.data.Csr;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.util.Workers;
import org.recsys.core.vector.AlignedRows;
import org.recsys.core.vector.FlatVectors;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.IntToDoubleFunction;

/**
 * Weighted alternating least squares for implicit feedback (see {@link WalsParams} for the objective). Each
 * half-iteration solves every user's (then every item's) k×k system in parallel with the other side fixed.
 * Results depend only on the data, the params (seed and thread count included): rows are solved independently and
 * every sum across threads is taken in a fixed order.
 */
public final class WalsTrainer {

    private static final int CHUNK = 128;
    /** About this many multiply-adds per chunk at most: at a large rank a chunk is a few rows, so a cancel is felt at once. */
    private static final int CHUNK_WORK = 1 << 22;

    private final WalsParams params;
    private float[] itemWeights;
    private boolean computeLoss = true;
    private WalsListener listener = WalsListener.NONE;
    private Workers workers = Workers.offline();
    private int wideMinEntries = -1;
    private int wideMaxRows;
    private WalsModel start;

    public WalsTrainer(WalsParams params) {
        this.params = params;
    }

    /**
     * Per-item weights σ (indexed by dense item index), multiplying each observed entry's confidence above w0. The
     * per-user weights ρ come from {@link WalsParams#userWeightExponent()}.
     */
    public WalsTrainer itemWeights(float[] weights) {
        this.itemWeights = weights;
        return this;
    }

    /** Whether to compute the objective after each iteration (one more pass over the data). */
    public WalsTrainer computeLoss(boolean computeLoss) {
        this.computeLoss = computeLoss;
        return this;
    }

    public WalsTrainer listener(WalsListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Where the rows are solved in parallel ({@link WalsParams#threads()} workers), and the cancellation checked between
     * iterations, before every chunk of rows and inside the rank-sized (k³) steps: when it answers true, {@link #train}
     * throws {@link CancellationException}. By default daemon threads, never cancelled.
     */
    public WalsTrainer runOn(Workers workers) {
        this.workers = workers;
        return this;
    }

    /**
     * Continues from {@code previous}'s factors instead of random ones (a model of the same matrix and rank, e.g. the
     * same params with fewer iterations): N iterations from a model of M give exactly the factors of M + N iterations,
     * because an iteration depends only on the factors before it. Hyperparameter search promotes trials this way.
     */
    public WalsTrainer startFrom(WalsModel previous) {
        this.start = previous;
        return this;
    }

    /**
     * Which rows the CG solver solves together as {@link WideRows}: those with at least {@code minEntries} entries,
     * at most {@code maxRows} per side ({@code maxRows} 0: none). By default the thresholds follow the cache sizes.
     */
    WalsTrainer wideRows(int minEntries, int maxRows) {
        this.wideMinEntries = minEntries;
        this.wideMaxRows = maxRows;
        return this;
    }

    public WalsModel train(InteractionMatrix matrix) {
        if (matrix.nnz() == 0) {
            throw new IllegalArgumentException("no interactions to train on");
        }
        int k = params.rank();
        int nUsers = matrix.users().size();
        int nItems = matrix.items().size();
        checkWeights(itemWeights, nItems, "item");
        Csr byUser = matrix.byUser();
        float userWeightScale = userWeightScale(byUser, params.userWeightExponent());
        float[] userWeights = params.userWeightExponent() > 0
            ? perUser(byUser, items -> userWeight(items, params.userWeightExponent(), userWeightScale))
            : null;
        float userLambdaScale = userLambdaScale(byUser, params.userLambdaExponent());
        float[] userShifts =
            params.userLambdaExponent() > 0 ? perUser(byUser, items -> userLambdaShift(items, params, userLambdaScale)) : null;
        Csr byItem = matrix.byItem();
        float[] extraByUser = extras(byUser, userWeights, itemWeights);
        float[] extraByItem = extras(byItem, itemWeights, userWeights);
        boolean cg = params.solver() == Solver.CG;
        WideRows wideUsers = cg ? wideRows(byUser, byItem, extraByItem, k) : WideRows.NONE;
        WideRows wideItems = cg ? wideRows(byItem, byUser, extraByUser, k) : WideRows.NONE;

        // Working factors with cache-line-aligned rows (row r at BASE + r·k); the model gets plain copies.
        float[] x = start == null ? initialFactors(nUsers, k, params.seed()) : aligned(start.userFactors(), nUsers, k, start.rank());
        float[] y = start == null ? initialFactors(nItems, k, params.seed() + 1) : aligned(start.itemFactors(), nItems, k, start.rank());
        double[] loss = new double[computeLoss ? params.iterations() : 0];
        ParallelRows parallel = new ParallelRows(params.threads(), workers);
        RowSystem[] systems = new RowSystem[parallel.threads()];
        for (int w = 0; w < systems.length; w++) {
            systems[w] = new RowSystem(k);
        }
        double[] itemGram = Gram.of(y, AlignedRows.BASE, nItems, k, parallel);
        for (int iteration = 1; iteration <= params.iterations(); iteration++) {
            workers.checkCancelled("training cancelled before iteration " + iteration);
            long start = System.nanoTime();
            solveSide(byUser, extraByUser, userShifts, wideUsers, y, itemGram, x, parallel, systems);
            solveSide(byItem, extraByItem, null, wideItems, x, Gram.of(x, AlignedRows.BASE, nUsers, k, parallel), y, parallel, systems);
            itemGram = Gram.of(y, AlignedRows.BASE, nItems, k, parallel);
            double l = computeLoss ? objective(byUser, extraByUser, userShifts, x, y, itemGram, parallel) : Double.NaN;
            if (computeLoss) {
                loss[iteration - 1] = l;
            }
            listener.iterationDone(iteration, params.iterations(), l, (System.nanoTime() - start) / 1e9);
        }
        return new WalsModel(
            params,
            matrix.users(),
            matrix.items(),
            plain(x, nUsers, k),
            plain(y, nItems, k),
            itemWeights,
            userWeightScale,
            userLambdaScale,
            loss
        );
    }

    private WideRows wideRows(Csr side, Csr opposite, float[] oppositeExtra, int k) {
        return wideMinEntries < 0
            ? WideRows.select(side, opposite, oppositeExtra, k, params.threads())
            : WideRows.select(side, opposite, oppositeExtra, k, wideMinEntries, wideMaxRows, params.threads());
    }

    /** One side's rows, each with G plus its own shift of the diagonal ({@code shifts} by row, or null for none). */
    private void solveSide(
        Csr rows,
        float[] extra,
        float[] shifts,
        WideRows wide,
        float[] fixed,
        double[] fixedGram,
        float[] target,
        ParallelRows workers,
        RowSystem[] systems
    ) {
        int k = params.rank();
        float w0 = params.w0();
        double[] g = Gram.regularised(fixedGram, k, w0, params.lambda());
        int[] cols = rows.columns();
        if (params.solver() == Solver.CHOLESKY) {
            workers.dynamic(rows.rows(), rowsPerChunk(k), (worker, chunk, from, to) -> {
                for (int r = from; r < to; r++) {
                    systems[worker].solveExact(
                        g,
                        shifts == null ? 0f : shifts[r],
                        fixed,
                        AlignedRows.BASE,
                        cols,
                        extra,
                        rows.start(r),
                        rows.end(r),
                        w0,
                        target,
                        AlignedRows.BASE + r * k
                    );
                }
            });
        } else {
            float[] gf = Gram.toFloat(g);
            float[] preconditioner = Gram.inverse(g, k, workers);
            int steps = params.cgSteps();
            wide.solveCg(gf, preconditioner, shifts, fixed, AlignedRows.BASE, w0, steps, target, workers);
            workers.dynamic(rows.rows(), rowsPerChunk(k), (worker, chunk, from, to) -> {
                for (int r = from; r < to; r++) {
                    if (wide.contains(r)) {
                        continue;
                    }
                    systems[worker].solveCg(
                        gf,
                        preconditioner,
                        shifts == null ? 0f : shifts[r],
                        fixed,
                        AlignedRows.BASE,
                        cols,
                        extra,
                        rows.start(r),
                        rows.end(r),
                        w0,
                        steps,
                        target,
                        AlignedRows.BASE + r * k
                    );
                }
            });
        }
    }

    /**
     * The objective, summed user by user: w0·xᵀ(YᵀY)x covers every entry as if unobserved, then each observed entry
     * adds w(1−s)² − w0·s², plus the L2 terms (a user's λ shifted by {@code userShifts[u]} when they are given).
     * Chunk sums are added in chunk order, whatever the thread count.
     */
    private double objective(Csr byUser, float[] extra, float[] userShifts, float[] x, float[] y, double[] itemGram, ParallelRows workers) {
        int k = params.rank();
        float w0 = params.w0();
        int[] cols = byUser.columns();
        int rowsPerChunk = rowsPerChunk(k);
        int chunks = (byUser.rows() + rowsPerChunk - 1) / rowsPerChunk;
        double[] chunkLoss = new double[chunks];
        workers.dynamic(byUser.rows(), rowsPerChunk, (worker, chunk, from, to) -> {
            double sum = 0;
            for (int u = from; u < to; u++) {
                int xu = AlignedRows.BASE + u * k;
                double quadratic = 0;
                for (int i = 0; i < k; i++) {
                    double gx = 0;
                    for (int j = 0; j < k; j++) {
                        gx += itemGram[i * k + j] * x[xu + j];
                    }
                    quadratic += x[xu + i] * gx;
                }
                sum += w0 * quadratic;
                if (userShifts != null) {
                    sum += userShifts[u] * FlatVectors.dot(x, xu, x, xu, k);
                }
                for (int e = byUser.start(u); e < byUser.end(u); e++) {
                    double s = FlatVectors.dot(x, xu, y, AlignedRows.BASE + cols[e] * k, k);
                    double w = w0 + extra[e];
                    sum += w * (1 - s) * (1 - s) - w0 * s * s;
                }
            }
            chunkLoss[chunk] = sum;
        });
        double total = 0;
        for (double c : chunkLoss) {
            total += c;
        }
        return total + params.lambda() * (squaredNorm(x, byUser.rows(), k) + squaredNorm(y, byUser.columnCount(), k));
    }

    /** Rows per chunk: {@link #CHUNK}, fewer where a row's k² work would make a chunk long. */
    private static int rowsPerChunk(int k) {
        return Math.max(1, Math.min(CHUNK, CHUNK_WORK / (k * k)));
    }

    /**
     * An upper estimate of the heap a training of this size holds at its peak: the interactions (both sparse
     * orientations, their confidences, the reading buffers), the ids, the factors (working, plain and serialised
     * copies), and the rank-squared matrices (the Gram matrix, its regularised and inverted forms, and each worker's
     * row system and partial Gram sum). A caller checks it against a memory limit before reading anything.
     */
    public static long estimateBytes(long interactions, long users, long items, int rank, int threads) {
        long k = rank;
        long rows = users + items;
        return 48L * interactions + 100L * rows + 12L * k * rows + k * k * (24L * threads + 40L);
    }

    private static double squaredNorm(float[] rows, int n, int k) {
        double s = 0;
        for (int i = AlignedRows.BASE, end = AlignedRows.BASE + n * k; i < end; i++) {
            s += (double) rows[i] * rows[i];
        }
        return s;
    }

    private static float[] aligned(float[] plain, int n, int k, int startRank) {
        if (startRank != k || plain.length != n * k) {
            throw new IllegalArgumentException(
                "cannot continue from a model of rank "
                    + startRank
                    + " and "
                    + plain.length / startRank
                    + " rows: this training has rank "
                    + k
                    + " and "
                    + n
                    + " rows"
            );
        }
        float[] rows = AlignedRows.allocate(n, k);
        System.arraycopy(plain, 0, rows, AlignedRows.BASE, n * k);
        return rows;
    }

    private static float[] plain(float[] rows, int n, int k) {
        return java.util.Arrays.copyOfRange(rows, AlignedRows.BASE, AlignedRows.BASE + n * k);
    }

    private float[] extras(Csr rows, float[] rowWeights, float[] columnWeights) {
        int[] cols = rows.columns();
        float[] values = rows.values();
        float[] extra = new float[rows.nnz()];
        for (int r = 0; r < rows.rows(); r++) {
            float rw = rowWeights == null ? 1f : rowWeights[r];
            for (int e = rows.start(r); e < rows.end(r); e++) {
                float cw = columnWeights == null ? 1f : columnWeights[cols[e]];
                extra[e] = rw * cw * params.confidence().extra(values[e], params.alpha(), params.epsilon());
            }
        }
        return extra;
    }

    /**
     * The scale of the user weights: ρ_u = scale · n_u^−β for each user's n_u distinct items, the scale making their
     * mean 1 so that α keeps its meaning whatever β (1 when β is 0: every user alike).
     */
    static float userWeightScale(Csr byUser, float exponent) {
        return exponent == 0 ? 1f : meanOneScale(byUser, items -> userWeight(items, exponent, 1f));
    }

    /**
     * The scale of the users' λ: λ_u = λ · scale · n_u^η for each user's n_u distinct items (at least 1), the scale
     * making their mean λ (1 when η is 0).
     */
    static float userLambdaScale(Csr byUser, float exponent) {
        return exponent == 0 ? 1f : meanOneScale(byUser, items -> Math.pow(Math.max(1, items), exponent));
    }

    /** rows / Σ_u term(n_u) over each user's n_u distinct items: the scale that makes the term's mean 1 (1 for no users). */
    private static float meanOneScale(Csr byUser, IntToDoubleFunction term) {
        if (byUser.rows() == 0) {
            return 1f;
        }
        double sum = 0;
        for (int u = 0; u < byUser.rows(); u++) {
            sum += term.applyAsDouble(byUser.end(u) - byUser.start(u));
        }
        return (float) (byUser.rows() / sum);
    }

    /** {@code value(n_u)} for each user's n_u distinct items. */
    private static float[] perUser(Csr byUser, IntToDoubleFunction value) {
        float[] out = new float[byUser.rows()];
        for (int u = 0; u < out.length; u++) {
            out[u] = (float) value.applyAsDouble(byUser.end(u) - byUser.start(u));
        }
        return out;
    }

    /** λ_u − λ for a user with {@code items} distinct items: the shift of its system's diagonal; training and fold-in share it. */
    static float userLambdaShift(int items, WalsParams params, float scale) {
        float exponent = params.userLambdaExponent();
        return exponent == 0 ? 0f : (float) (params.lambda() * (scale * Math.pow(Math.max(1, items), exponent) - 1));
    }

    /** The weight ρ of a user with {@code items} distinct items: training and fold-in share it. */
    static float userWeight(int items, float exponent, float scale) {
        return exponent == 0 || items == 0 ? 1f : (float) (scale * Math.pow(items, -exponent));
    }

    private static void checkWeights(float[] weights, int n, String side) {
        if (weights == null) {
            return;
        }
        if (weights.length != n) {
            throw new IllegalArgumentException(
                side + " weights have length [" + weights.length + "] but there are [" + n + "] " + side + "s"
            );
        }
        for (int i = 0; i < n; i++) {
            if (Float.isFinite(weights[i]) == false || weights[i] < 0) {
                throw new IllegalArgumentException(side + " weight [" + i + "] is [" + weights[i] + "]; weights must be finite and >= 0");
            }
        }
    }

    /**
     * Small Gaussian values, so that the first solve starts from an informative but near-neutral point; row r at
     * {@code AlignedRows.BASE + r * k}.
     */
    static float[] initialFactors(int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float scale = (float) (0.1 / Math.sqrt(k));
        float[] f = AlignedRows.allocate(n, k);
        for (int i = AlignedRows.BASE, end = AlignedRows.BASE + n * k; i < end; i++) {
            f[i] = (float) (random.nextGaussian() * scale);
        }
        return f;
    }
}

package org.recsys.core.wals;

import org.recsys.core.data.Csr;
import org.recsys.core.vector.FlatVectors;

import java.util.Arrays;

/**
 * The rows of one side with so many entries that the opposite factors they gather do not stay in a core's cache
 * from one CG pass to the next: popular items (at W1's shape the 1,000 most popular items hold 47% of the
 * interactions, up to 67,550 users each). Gathered row by row, each of the four passes would fetch those factors
 * again from memory. These rows are instead solved together, in lockstep, one pass at a time: a pass walks the
 * opposite rows in order, so their factors stream through once, and adds each one into the wide rows it meets,
 * whose state (a few hundred KiB) stays in cache. The arithmetic is the same as {@link RowSystem#solveCg}; only the
 * order of the sums differs.
 * <p>
 * Memory: 8 bytes per entry of a wide row (the entries again, by opposite row) and a few k-float rows per wide row.
 */
final class WideRows {

    /** Rows whose gathered factors take at least this much, a quarter of a 1 MiB L2, are candidates. */
    static final int MIN_GATHERED_BYTES = 256 << 10;

    /**
     * What a worker touches per entry, the vector a pass multiplies and the worker's own output (k floats each per
     * wide row), is kept within half of a 1 MiB L2: at W1's rank 64, 1,024 wide items (48% of the interactions).
     */
    static final int MAX_STATE_BYTES = 512 << 10;

    private static final int CHUNK = 64;

    /** Wide rows of a side with none. */
    static final WideRows NONE = new WideRows();

    private final int k;
    /** Row index of each wide row; a wide row's local index is its position here. */
    private final int[] rows;
    /** Local index of each row of the side, −1 for the rows solved one by one. */
    private final int[] localOf;
    /** The wide rows' entries grouped by opposite row: local index and confidence above w0. */
    private final int[] start;
    private final int[] local;
    private final float[] extra;
    /** Opposite rows [bounds[w], bounds[w + 1]) are worker w's share of each pass, about equal in entries. */
    private final int[] bounds;
    private final float[] r;
    private final float[] p;
    private final float[][] out;
    private final float[] rz;
    private final float[][] scratch;

    private WideRows() {
        this.k = 0;
        this.rows = new int[0];
        this.localOf = null;
        this.start = null;
        this.local = null;
        this.extra = null;
        this.bounds = null;
        this.r = null;
        this.p = null;
        this.out = null;
        this.rz = null;
        this.scratch = null;
    }

    private WideRows(int k, int[] rows, int[] localOf, Csr opposite, float[] oppositeExtra, int threads) {
        this.k = k;
        this.rows = rows;
        this.localOf = localOf;
        int[] cols = opposite.columns();
        this.start = new int[opposite.rows() + 1];
        for (int o = 0; o < opposite.rows(); o++) {
            int n = 0;
            for (int e = opposite.start(o); e < opposite.end(o); e++) {
                if (localOf[cols[e]] >= 0) {
                    n++;
                }
            }
            start[o + 1] = start[o] + n;
        }
        this.local = new int[start[opposite.rows()]];
        this.extra = new float[local.length];
        for (int o = 0, at = 0; o < opposite.rows(); o++) {
            for (int e = opposite.start(o); e < opposite.end(o); e++) {
                int l = localOf[cols[e]];
                if (l >= 0) {
                    local[at] = l;
                    extra[at++] = oppositeExtra[e];
                }
            }
        }
        this.bounds = new int[threads + 1];
        for (int w = 1; w < threads; w++) {
            long target = (long) local.length * w / threads;
            int o = Arrays.binarySearch(start, (int) target);
            bounds[w] = Math.max(bounds[w - 1], o >= 0 ? o : -o - 1);
        }
        bounds[threads] = opposite.rows();
        int n = rows.length * k;
        this.r = new float[n];
        this.p = new float[n];
        this.out = new float[threads][n];
        this.rz = new float[rows.length];
        this.scratch = new float[threads][k];
    }

    /**
     * The rows of {@code side} with at least {@code minEntries} entries, the longest first and at most
     * {@code maxRows} of them; {@code opposite} is the transpose of {@code side}, {@code oppositeExtra} its entries'
     * confidences above w0.
     */
    static WideRows select(Csr side, Csr opposite, float[] oppositeExtra, int k, int minEntries, int maxRows, int threads) {
        long[] candidates = new long[side.rows()];
        int n = 0;
        for (int row = 0; row < side.rows(); row++) {
            int length = side.rowLength(row);
            if (length >= minEntries) {
                // Longest first, then by row index: a total order, so the selection depends on the data only.
                candidates[n++] = ((long) (Integer.MAX_VALUE - length) << 32) | row;
            }
        }
        if (n == 0 || maxRows <= 0) {
            return NONE;
        }
        Arrays.sort(candidates, 0, n);
        int[] rows = new int[Math.min(n, maxRows)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) candidates[i];
        }
        Arrays.sort(rows);
        int[] localOf = new int[side.rows()];
        Arrays.fill(localOf, -1);
        for (int i = 0; i < rows.length; i++) {
            localOf[rows[i]] = i;
        }
        return new WideRows(k, rows, localOf, opposite, oppositeExtra, threads);
    }

    /** {@link #select} with the cache-sized thresholds for rank {@code k}. */
    static WideRows select(Csr side, Csr opposite, float[] oppositeExtra, int k, int threads) {
        return select(
            side,
            opposite,
            oppositeExtra,
            k,
            MIN_GATHERED_BYTES / (Float.BYTES * k),
            MAX_STATE_BYTES / (2 * Float.BYTES * k),
            threads
        );
    }

    int size() {
        return rows.length;
    }

    boolean contains(int row) {
        return rows.length > 0 && localOf[row] >= 0;
    }

    /**
     * {@code steps} preconditioned CG steps for every wide row from its current factor in {@code target} (row r at
     * {@code base + r * k}), against the opposite factors {@code fixed} (same layout): {@link RowSystem#solveCg} for
     * all wide rows at once, with the same {@link RowSystem#start} and {@link RowSystem#step}; {@code shifts} holds each
     * row's shift (by row of this side), or is null for none.
     */
    void solveCg(
        float[] gram,
        float[] preconditioner,
        float[] shifts,
        float[] fixed,
        int base,
        float w0,
        int steps,
        float[] target,
        ParallelRows workers
    ) {
        if (rows.length == 0) {
            return;
        }
        // The pass for the residual multiplies each row's x, gathered into p (which start() then overwrites).
        for (int l = 0; l < rows.length; l++) {
            System.arraycopy(target, base + rows[l] * k, p, l * k, k);
        }
        float[] sums = pass(fixed, base, p, w0, 1f, -1f, workers);
        workers.dynamic(rows.length, CHUNK, (worker, chunk, from, to) -> {
            for (int l = from; l < to; l++) {
                System.arraycopy(sums, l * k, r, l * k, k);
                rz[l] = RowSystem
                    .start(gram, preconditioner, shift(shifts, l), k, target, base + rows[l] * k, r, l * k, p, l * k, scratch[worker]);
            }
        });
        for (int step = 0; step < steps; step++) {
            float[] ap = pass(fixed, base, p, 0f, 0f, 1f, workers);
            workers.dynamic(rows.length, CHUNK, (worker, chunk, from, to) -> {
                for (int l = from; l < to; l++) {
                    if (rz[l] > 1e-20f) {
                        rz[l] = RowSystem.step(
                            gram,
                            preconditioner,
                            shift(shifts, l),
                            k,
                            rz[l],
                            target,
                            base + rows[l] * k,
                            r,
                            l * k,
                            p,
                            l * k,
                            ap,
                            l * k,
                            scratch[worker]
                        );
                    }
                }
            });
        }
    }

    private float shift(float[] shifts, int local) {
        return shifts == null ? 0f : shifts[rows[local]];
    }

    /**
     * One pass: for each wide row l, Σ_j (c0 + e_j·(c1 + c2·(y_j·v_l)))·y_j over its entries j, walking the opposite
     * rows y in order. Each worker sums its share of opposite rows into its own output; the outputs are added in
     * worker order, so the result depends on the thread count only.
     */
    private float[] pass(float[] fixed, int base, float[] v, float c0, float c1, float c2, ParallelRows workers) {
        workers.onEachWorker(worker -> {
            float[] o = out[worker];
            Arrays.fill(o, 0f);
            for (int row = bounds[worker], end = bounds[worker + 1]; row < end; row++) {
                if (start[row] < start[row + 1]) {
                    FlatVectors
                        .scatterRowWeightedByDot(fixed, base + row * k, k, local, extra, start[row], start[row + 1], v, 0, c0, c1, c2, o);
                }
            }
        });
        for (int w = 1; w < out.length; w++) {
            FlatVectors.axpy(1f, out[w], 0, out[0], 0, out[0].length);
        }
        return out[0];
    }
}

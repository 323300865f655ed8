package org.recsys.core.wals;

import org.recsys.core.linalg.Cholesky;
import org.recsys.core.vector.FlatVectors;

/**
 * One row's weighted least-squares problem, the heart of WALS: with the opposite factors Y fixed, the factor x of a
 * row with entries j (opposite row {@code cols[j]}, at {@code base + cols[j] * k} of {@code fixed}, confidence above the
 * baseline {@code extra[j]}) solves
 * <pre>  (G + Σ_j extra_j y_j y_jᵀ) x = Σ_j (w0 + extra_j) y_j,   G = w0·YᵀY + λI</pre>
 * Holds the scratch space of one worker thread, so a solve allocates nothing.
 */
final class RowSystem {

    /** Entries whose updates are summed in single precision before joining the double-precision system. */
    private static final int BLOCK = 256;

    private final int k;
    private final double[] a;
    private final float[] block;
    private final double[] b;
    private final float[] r;
    private final float[] p;
    private final float[] ap;

    RowSystem(int k) {
        this.k = k;
        this.a = new double[k * k];
        this.block = new float[k * k];
        this.b = new double[k];
        this.r = new float[k];
        this.p = new float[k];
        this.ap = new float[k];
    }

    /** Exact solution by Cholesky decomposition; {@code gram} is G in double precision, row-major k×k. */
    void solveExact(double[] gram, float[] fixed, int base, int[] cols, float[] extra, int from, int to, float w0, float[] out, int outOffset) {
        System.arraycopy(gram, 0, a, 0, k * k);
        java.util.Arrays.fill(b, 0d);
        // Rank-1 updates e·y·yᵀ as SIMD float row updates, flushed into the double-precision system every BLOCK entries.
        for (int blockStart = from; blockStart < to; blockStart += BLOCK) {
            java.util.Arrays.fill(block, 0f);
            for (int j = blockStart, end = Math.min(to, blockStart + BLOCK); j < end; j++) {
                int y = base + cols[j] * k;
                float e = extra[j];
                double target = w0 + e;
                for (int i = 0; i < k; i++) {
                    b[i] += target * fixed[y + i];
                    // Upper triangle only: the decomposition reads nothing else.
                    FlatVectors.axpy(e * fixed[y + i], fixed, y + i, block, i * k + i, k - i);
                }
            }
            for (int i = 0; i < k; i++) {
                for (int l = i; l < k; l++) {
                    a[i * k + l] += block[i * k + l];
                }
            }
        }
        Cholesky.decompose(a, k);
        Cholesky.solve(a, k, b);
        for (int i = 0; i < k; i++) {
            out[outOffset + i] = (float) b[i];
        }
    }

    /**
     * {@code steps} conjugate-gradient steps from the current {@code x} (warm start), as implicit's CG solver;
     * {@code gram} is G in single precision.
     */
    void solveCg(float[] gram, float[] fixed, int base, int[] cols, float[] extra, int from, int to, float w0, int steps, float[] x, int xOffset) {
        // r = b − A·x = −G·x + Σ_j (w0 + e_j·(1 − y_j·x)) y_j
        FlatVectors.vectorTimesMatrix(x, xOffset, gram, k, r);
        for (int i = 0; i < k; i++) {
            r[i] = -r[i];
        }
        FlatVectors.addRowsWeightedByDot(fixed, base, k, cols, extra, from, to, x, xOffset, w0, 1f, -1f, r, 0);
        System.arraycopy(r, 0, p, 0, k);
        float rsOld = FlatVectors.dot(r, 0, r, 0, k);
        for (int step = 0; step < steps && rsOld > 1e-20f; step++) {
            FlatVectors.vectorTimesMatrix(p, 0, gram, k, ap);
            FlatVectors.addRowsWeightedByDot(fixed, base, k, cols, extra, from, to, p, 0, 0f, 0f, 1f, ap, 0);
            float alpha = rsOld / FlatVectors.dot(p, 0, ap, 0, k);
            FlatVectors.axpy(alpha, p, 0, x, xOffset, k);
            FlatVectors.axpy(-alpha, ap, 0, r, 0, k);
            float rsNew = FlatVectors.dot(r, 0, r, 0, k);
            float beta = rsNew / rsOld;
            for (int i = 0; i < k; i++) {
                p[i] = r[i] + beta * p[i];
            }
            rsOld = rsNew;
        }
    }
}

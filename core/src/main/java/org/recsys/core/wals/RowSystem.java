package org.recsys.core.wals;

import org.recsys.core.linalg.Cholesky;
import org.recsys.core.vector.FlatVectors;

/**
 * One row's weighted least-squares problem, the heart of WALS: with the opposite factors Y fixed, the factor x of a
 * row with entries j (opposite row {@code cols[j]}, at {@code base + cols[j] * k} of {@code fixed}, confidence above the
 * baseline {@code extra[j]}) solves
 * <pre>  (G + shift·I + Σ_j extra_j y_j y_jᵀ) x = Σ_j (w0 + extra_j) y_j,   G = w0·YᵀY + λI</pre>
 * where shift is the row's own regularisation above λ (0 unless users' λ scale with their items,
 * {@link WalsParams#userLambdaExponent()}). Holds the scratch space of one worker thread, so a solve allocates nothing.
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
    private final float[] scratch;

    RowSystem(int k) {
        this.k = k;
        this.a = new double[k * k];
        this.block = new float[k * k];
        this.b = new double[k];
        this.r = new float[k];
        this.p = new float[k];
        this.ap = new float[k];
        this.scratch = new float[k];
    }

    /** Exact solution by Cholesky decomposition; {@code gram} is G in double precision, row-major k×k. */
    void solveExact(
        double[] gram,
        float shift,
        float[] fixed,
        int base,
        int[] cols,
        float[] extra,
        int from,
        int to,
        float w0,
        float[] out,
        int outOffset
    ) {
        System.arraycopy(gram, 0, a, 0, k * k);
        for (int i = 0; i < k; i++) {
            a[i * k + i] += shift;
        }
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
     * {@code steps} conjugate-gradient steps from the current {@code x} (warm start), preconditioned by G:
     * {@code gram} is G and {@code preconditioner} G⁻¹, both in single precision (G⁻¹ stays a good preconditioner with
     * the row's shift, a small share of G's diagonal). See {@link #start} and {@link #step}.
     */
    void solveCg(
        float[] gram,
        float[] preconditioner,
        float shift,
        float[] fixed,
        int base,
        int[] cols,
        float[] extra,
        int from,
        int to,
        float w0,
        int steps,
        float[] x,
        int xOffset
    ) {
        java.util.Arrays.fill(r, 0f);
        FlatVectors.addRowsWeightedByDot(fixed, base, k, cols, extra, from, to, x, xOffset, w0, 1f, -1f, r, 0);
        float rz = start(gram, preconditioner, shift, k, x, xOffset, r, 0, p, 0, scratch);
        for (int step = 0; step < steps && rz > 1e-20f; step++) {
            java.util.Arrays.fill(ap, 0f);
            FlatVectors.addRowsWeightedByDot(fixed, base, k, cols, extra, from, to, p, 0, 0f, 0f, 1f, ap, 0);
            rz = step(gram, preconditioner, shift, k, rz, x, xOffset, r, 0, p, 0, ap, 0, scratch);
        }
    }

    /**
     * The start of preconditioned CG at x, once {@code r} holds the entries' part of the residual,
     * Σ_j (w0 + e_j·(1 − y_j·x)) y_j: subtracts (G + shift·I)·x, so that r = b − A·x, and sets p = z = G⁻¹·r. Returns r·z.
     * G, the part of A shared by every row, is the preconditioner: M⁻¹A = I + G⁻¹·Σ_j e_j y_j y_jᵀ has its
     * eigenvalues near 1 where the row has no entries, so two steps get closer to the exact solution than three
     * plain CG steps (docs/wals.md); applying G⁻¹ is one more k×k product, from cache.
     */
    static float start(
        float[] gram,
        float[] preconditioner,
        float shift,
        int k,
        float[] x,
        int xOffset,
        float[] r,
        int rOffset,
        float[] p,
        int pOffset,
        float[] scratch
    ) {
        FlatVectors.vectorTimesMatrix(x, xOffset, gram, k, scratch);
        if (shift != 0) {
            FlatVectors.axpy(shift, x, xOffset, scratch, 0, k);
        }
        FlatVectors.axpy(-1f, scratch, 0, r, rOffset, k);
        FlatVectors.vectorTimesMatrix(r, rOffset, preconditioner, k, scratch);
        System.arraycopy(scratch, 0, p, pOffset, k);
        return FlatVectors.dot(r, rOffset, scratch, 0, k);
    }

    /**
     * One preconditioned CG step once {@code ap} holds the entries' part of A·p, Σ_j e_j (y_j·p) y_j: adds (G + shift·I)·p, moves
     * x along p and r along A·p, and sets p = G⁻¹·r + β·p. Takes r·z of the last step and returns the new one.
     */
    static float step(
        float[] gram,
        float[] preconditioner,
        float shift,
        int k,
        float rz,
        float[] x,
        int xOffset,
        float[] r,
        int rOffset,
        float[] p,
        int pOffset,
        float[] ap,
        int apOffset,
        float[] scratch
    ) {
        FlatVectors.vectorTimesMatrix(p, pOffset, gram, k, scratch);
        if (shift != 0) {
            FlatVectors.axpy(shift, p, pOffset, scratch, 0, k);
        }
        FlatVectors.axpy(1f, scratch, 0, ap, apOffset, k);
        float alpha = rz / FlatVectors.dot(p, pOffset, ap, apOffset, k);
        FlatVectors.axpy(alpha, p, pOffset, x, xOffset, k);
        FlatVectors.axpy(-alpha, ap, apOffset, r, rOffset, k);
        FlatVectors.vectorTimesMatrix(r, rOffset, preconditioner, k, scratch);
        float rzNew = FlatVectors.dot(r, rOffset, scratch, 0, k);
        float beta = rzNew / rz;
        for (int i = 0; i < k; i++) {
            p[pOffset + i] = scratch[i] + beta * p[pOffset + i];
        }
        return rzNew;
    }
}

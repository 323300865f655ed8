package org.recsys.core.wals;

import org.recsys.core.linalg.Cholesky;
import org.recsys.core.vector.FlatVectors;

/** FᵀF of a flat n×k factor matrix, totalled in double precision in an order fixed by the thread count. */
final class Gram {

    private Gram() {}

    /** Rows summed in single precision (SIMD) before each flush into the double-precision total. */
    private static final int BLOCK = 1024;

    /** Row r of the factors at {@code base + r * k}. */
    static double[] of(float[] factors, int base, int n, int k, ParallelRows workers) {
        double[][] partial = new double[workers.threads()][];
        workers.staticRanges(n, (worker, chunk, from, to) -> {
            double[] g = new double[k * k];
            float[] block = new float[k * k];
            for (int blockStart = from; blockStart < to; blockStart += BLOCK) {
                java.util.Arrays.fill(block, 0f);
                for (int r = blockStart, end = Math.min(to, blockStart + BLOCK); r < end; r++) {
                    workers.checkCancelled();
                    int f = base + r * k;
                    for (int i = 0; i < k; i++) {
                        FlatVectors.axpy(factors[f + i], factors, f, block, i * k, k);
                    }
                }
                for (int i = 0; i < g.length; i++) {
                    g[i] += block[i];
                }
            }
            partial[worker] = g;
        });
        double[] gram = partial[0];
        for (int w = 1; w < partial.length; w++) {
            for (int i = 0; i < gram.length; i++) {
                gram[i] += partial[w][i];
            }
        }
        return gram;
    }

    /** G = w0·FᵀF + λI, the part of every row's system that does not depend on the row. */
    static double[] regularised(double[] gram, int k, float w0, float lambda) {
        double[] g = new double[k * k];
        for (int i = 0; i < g.length; i++) {
            g[i] = w0 * gram[i];
        }
        for (int i = 0; i < k; i++) {
            g[i * k + i] += lambda;
        }
        return g;
    }

    /**
     * The CG solver's preconditioner in single precision: (G + δI)⁻¹, from a Cholesky decomposition in double, with
     * δ a thousandth of G's mean diagonal, so that it exists even where G is singular (λ = 0 and fewer independent
     * factor rows than k); any symmetric positive definite preconditioner leaves CG's solution unchanged. δ bounds
     * how much it amplifies float rounding along G's null space: at a millionth, two steps per row blew a
     * perfectly fitting model's loss up from 2e-5 to 0.12 within four iterations.
     */
    static float[] inverse(double[] g, int k, ParallelRows workers) {
        double[] l = g.clone();
        double trace = 0;
        for (int i = 0; i < k; i++) {
            trace += g[i * k + i];
        }
        double delta = Math.max(1e-3 * trace / k, Double.MIN_NORMAL);
        for (int i = 0; i < k; i++) {
            l[i * k + i] += delta;
        }
        Cholesky.decompose(l, k, workers::checkCancelled);
        float[] inverse = new float[k * k];
        double[] column = new double[k];
        for (int c = 0; c < k; c++) {
            workers.checkCancelled();
            java.util.Arrays.fill(column, 0d);
            column[c] = 1;
            Cholesky.solve(l, k, column);
            for (int i = 0; i < k; i++) {
                inverse[i * k + c] = (float) column[i];
            }
        }
        return inverse;
    }

    static float[] toFloat(double[] g) {
        float[] f = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            f[i] = (float) g[i];
        }
        return f;
    }
}

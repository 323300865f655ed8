package org.recsys.core.wals;

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

    static float[] toFloat(double[] g) {
        float[] f = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            f[i] = (float) g[i];
        }
        return f;
    }
}

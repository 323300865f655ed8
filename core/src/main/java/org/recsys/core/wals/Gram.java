package org.recsys.core.wals;

/** FᵀF of a flat n×k factor matrix, in double precision, summed in an order fixed by the thread count. */
final class Gram {

    private Gram() {}

    static double[] of(float[] factors, int n, int k, ParallelRows workers) {
        double[][] partial = new double[workers.threads()][];
        workers.staticRanges(n, (worker, chunk, from, to) -> {
            double[] g = new double[k * k];
            for (int r = from; r < to; r++) {
                int f = r * k;
                for (int i = 0; i < k; i++) {
                    double fi = factors[f + i];
                    int row = i * k;
                    for (int j = i; j < k; j++) {
                        g[row + j] += fi * factors[f + j];
                    }
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
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                gram[i * k + j] = gram[j * k + i];
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

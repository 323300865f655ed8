package org.recsys.core.projection;

import org.recsys.core.linalg.Cholesky;

/**
 * Fits a {@link Projection} by ridge regression in closed form: W = (XᵀΩX + λI)⁻¹ XᵀΩY over the items that have
 * both a text vector (a row of X, with a constant 1 for the bias, which is not penalised) and a trained factor
 * (a row of Y), Ω being per-item weights. Items are added one at a time into the (d+1)×(d+1) and (d+1)×k sums, so
 * a catalogue of any size streams through in O(d² + d·k) memory; one Cholesky decomposition serves all k columns.
 * Not thread-safe.
 */
public final class RidgeProjection {

    private final int d;
    private final int k;
    private final int m;
    private final double[] xtx;
    private final double[] xty;
    private final double[] x;
    private int items;

    public RidgeProjection(int inputDimension, int rank) {
        this.d = inputDimension;
        this.k = rank;
        this.m = inputDimension + 1;
        this.xtx = new double[m * m];
        this.xty = new double[m * k];
        this.x = new double[m];
    }

    /** Adds one item: its text vector (d values), its factor (k values from {@code factors[offset]}) and its weight. */
    public void add(float[] text, float[] factors, int offset, float weight) {
        if (text.length != d) {
            throw new IllegalArgumentException("the text vector has " + text.length + " dims; the projection expects " + d);
        }
        for (int i = 0; i < d; i++) {
            x[i] = text[i];
        }
        x[d] = 1;
        for (int i = 0; i < m; i++) {
            double wx = weight * x[i];
            if (wx == 0) {
                continue;
            }
            for (int j = i; j < m; j++) {
                xtx[i * m + j] += wx * x[j];
            }
            for (int c = 0; c < k; c++) {
                xty[i * k + c] += wx * factors[offset + c];
            }
        }
        items++;
    }

    public int items() {
        return items;
    }

    /** Solves for the projection with ridge penalty {@code lambda}; the sums are left as they were. */
    public Projection solve(float lambda) {
        if (items == 0) {
            throw new IllegalArgumentException("no items with both a text vector and a factor to fit the projection on");
        }
        double[] a = xtx.clone();
        for (int i = 0; i < d; i++) {
            a[i * m + i] += lambda;
        }
        // The bias is not penalised; a tiny ridge keeps the system definite when every item has the same text.
        a[d * m + d] += 1e-9;
        Cholesky.decompose(a, m);
        float[] out = new float[m * k];
        double[] column = new double[m];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < m; i++) {
                column[i] = xty[i * k + c];
            }
            Cholesky.solve(a, m, column);
            for (int i = 0; i < m; i++) {
                out[i * k + c] = (float) column[i];
            }
        }
        return new Projection(d, k, out);
    }

    /**
     * The projection fitted on n items at once.
     *
     * @param texts   flat n×d text vectors
     * @param factors flat n×k factors of the same items
     * @param weights per-item weights (≥ 0), or null for 1 each
     */
    public static Projection fit(float[] texts, int d, float[] factors, int k, int n, float[] weights, float lambda) {
        RidgeProjection ridge = new RidgeProjection(d, k);
        float[] text = new float[d];
        for (int r = 0; r < n; r++) {
            System.arraycopy(texts, r * d, text, 0, d);
            ridge.add(text, factors, r * k, weights == null ? 1f : weights[r]);
        }
        return ridge.solve(lambda);
    }
}

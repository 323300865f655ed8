package org.recsys.core.projection;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RidgeProjectionTest {

    private static final int N = 300, D = 6, K = 4;

    /** Texts and factors related by a known map: factor = Wᵀ·text + b, plus {@code noise}. */
    private static float[][] data(float noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] map = new float[(D + 1) * K];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) random.nextGaussian();
        }
        Projection truth = new Projection(D, K, map);
        float[] x = new float[N * D];
        float[] y = new float[N * K];
        for (int r = 0; r < N; r++) {
            float[] t = new float[D];
            for (int i = 0; i < D; i++) {
                t[i] = (float) random.nextGaussian();
            }
            System.arraycopy(t, 0, x, r * D, D);
            float[] f = truth.project(t);
            for (int c = 0; c < K; c++) {
                y[r * K + c] = f[c] + noise * (float) random.nextGaussian();
            }
        }
        return new float[][]{ x, y, map };
    }

    @Test
    void recoversAnExactLinearMapWithBias() {
        float[][] d = data(0f, 3);
        Projection fitted = RidgeProjection.fit(d[0], D, d[1], K, N, null, 1e-6f);
        for (int i = 0; i < d[2].length; i++) {
            assertEquals(d[2][i], fitted.weights()[i], 1e-3, "weight " + i);
        }
    }

    @Test
    void lambdaShrinksTheWeightsButNotTheBias() {
        float[][] d = data(0.1f, 5);
        Projection loose = RidgeProjection.fit(d[0], D, d[1], K, N, null, 0f);
        Projection tight = RidgeProjection.fit(d[0], D, d[1], K, N, null, 1e5f);
        assertTrue(norm(tight, D) < 0.05 * norm(loose, D), "a large lambda leaves weights of norm " + norm(tight, D));
        // With the weights shrunk to nothing the bias is the mean factor, which lambda does not pull towards 0.
        for (int c = 0; c < K; c++) {
            double mean = 0;
            for (int r = 0; r < N; r++) {
                mean += d[1][r * K + c];
            }
            assertEquals(mean / N, tight.weights()[D * K + c], 0.02);
        }
    }

    @Test
    void itemWeightsDecideWhichItemsTheFitFollows() {
        float[][] a = data(0f, 7);
        float[][] b = data(0f, 8);
        // Half the items follow map a, half map b; weight only the first half and the fit is map a.
        float[] x = new float[2 * N * D];
        float[] y = new float[2 * N * K];
        float[] w = new float[2 * N];
        System.arraycopy(a[0], 0, x, 0, N * D);
        System.arraycopy(b[0], 0, x, N * D, N * D);
        System.arraycopy(a[1], 0, y, 0, N * K);
        System.arraycopy(b[1], 0, y, N * K, N * K);
        java.util.Arrays.fill(w, 0, N, 1f);
        Projection fitted = RidgeProjection.fit(x, D, y, K, 2 * N, w, 1e-6f);
        for (int i = 0; i < a[2].length; i++) {
            assertEquals(a[2][i], fitted.weights()[i], 1e-3);
        }
    }

    @Test
    void refusesVectorsItCannotProject() {
        Projection p = new Projection(2, 1, new float[]{ 1, 2, 3 });
        assertEquals(1 * 4 + 2 * 5 + 3, p.project(new float[]{ 4, 5 })[0], 1e-6);
        assertEquals(
            "the text vector has 3 dims; the projection expects 2",
            assertThrows(IllegalArgumentException.class, () -> p.project(new float[3])).getMessage()
        );
        assertTrue(
            assertThrows(IllegalArgumentException.class, () -> p.project(new float[]{ 1, Float.NaN })).getMessage().contains("non-finite")
        );
        assertThrows(IllegalArgumentException.class, () -> RidgeProjection.fit(new float[0], 2, new float[0], 1, 0, null, 1f));
    }

    private static double norm(Projection p, int d) {
        double s = 0;
        for (int i = 0; i < d * p.rank(); i++) {
            s += p.weights()[i] * p.weights()[i];
        }
        return Math.sqrt(s);
    }
}

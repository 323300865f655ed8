package org.recsys.core.wals;

import org.junit.jupiter.api.Test;
import org.recsys.core.util.Workers;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GramTest {

    @Test
    void theInverseTimesTheRegularisedGramIsNearlyTheIdentity() {
        int n = 50;
        int k = 12;
        Random random = new Random(3);
        float[] factors = new float[n * k];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = (float) random.nextGaussian();
        }
        ParallelRows workers = new ParallelRows(2, Workers.offline());
        double[] g = Gram.regularised(Gram.of(factors, 0, n, k, workers), k, 0.7f, 2f);
        float[] inverse = Gram.inverse(g, k, workers);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int m = 0; m < k; m++) {
                    s += inverse[i * k + m] * g[m * k + j];
                }
                // (G + δI)⁻¹G = I - δ(G + δI)⁻¹, with δ a thousandth of G's mean diagonal: off by 0.2% here.
                assertEquals(i == j ? 1 : 0, s, 5e-3, "(" + i + ", " + j + ")");
            }
        }
    }
}

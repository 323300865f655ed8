package org.recsys.core.topk;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TopKTest {

    @Test
    void matchesAFullSortWithExclusions() {
        Random random = new Random(3);
        int n = 500, dim = 7, k = 10;
        float[] rows = new float[n * dim];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) random.nextGaussian();
        }
        float[] q = { 1, -1, 0.5f, 0, 2, 1, -0.3f };
        BitSet excluded = new BitSet();
        excluded.set(0, 50);
        TopK.Result top = TopK.dotProduct(q, 0, rows, n, dim, k, excluded);
        int[] expected = IntStream.range(50, n)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer r) -> -score(q, rows, r, dim)).thenComparingInt(r -> r))
            .limit(k)
            .mapToInt(Integer::intValue)
            .toArray();
        assertArrayEquals(expected, top.indices());
        for (int i = 0; i < k; i++) {
            assertEquals(score(q, rows, expected[i], dim), top.scores()[i], 1e-5);
        }
    }

    @Test
    void tiesRankTheLowerIndexFirstAndShortListsComeBackWhole() {
        float[] rows = { 1, 1, 2, 1, 1 };
        TopK.Result top = TopK.dotProduct(new float[]{ 1 }, 0, rows, 5, 1, 3, null);
        assertArrayEquals(new int[]{ 2, 0, 1 }, top.indices());
        assertArrayEquals(new int[]{ 2, 0, 1, 3, 4 }, TopK.dotProduct(new float[]{ 1 }, 0, rows, 5, 1, 9, null).indices());
    }

    private static double score(float[] q, float[] rows, int r, int dim) {
        double s = 0;
        for (int i = 0; i < dim; i++) {
            s += q[i] * rows[r * dim + i];
        }
        return s;
    }

    @Test
    void ofScoresMatchesAFullSortWithExclusions() {
        Random random = new Random(4);
        float[] scores = new float[300];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextInt(40);
        }
        BitSet excluded = new BitSet();
        excluded.set(10, 20);
        int[] expected = IntStream.range(0, scores.length)
            .filter(i -> excluded.get(i) == false)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
            .limit(10)
            .mapToInt(Integer::intValue)
            .toArray();
        assertArrayEquals(expected, TopK.of(scores, 10, excluded).indices());
    }
}

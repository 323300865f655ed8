package org.recsys.core.baseline;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {

    /** Items 0..5; item 5 is the most popular and never follows item 0. */
    private static final int[][] SEQUENCES = { { 0, 1, 2 }, { 0, 1, 3 }, { 0, 2, 5 }, { 5, 5, 4 }, { 2, 5 }, { 2, 0, 3 } };

    @Test
    void transitionsCountDirectFollowersOfTheLastItemAndBreakTiesByPopularity() {
        Transitions t = new Transitions(SEQUENCES, 6);
        assertEquals(2, t.count(0, 1));
        assertEquals(1, t.count(0, 2));
        assertEquals(1, t.count(0, 3));
        assertEquals(0, t.count(0, 5));
        assertEquals(1, t.count(5, 5));
        float[] scores = new float[6];
        t.score(new int[]{ 4, 0 }, scores);
        // 1 followed 0 twice; 2 and 3 once each, 2 more popular (4 against 2); then 5, the most popular (4).
        assertTrue(scores[1] > scores[2] && scores[2] > scores[3] && scores[3] > scores[5], Arrays.toString(scores));
        assertTrue(scores[5] > scores[4] && scores[4] > 0, Arrays.toString(scores));
        // Only the last item matters.
        float[] other = new float[6];
        t.score(new int[]{ 3, 2, 0 }, other);
        assertEquals(Arrays.toString(scores), Arrays.toString(other));
    }

    @Test
    void popularityCountsInteractions() {
        float[] scores = new float[6];
        new Popularity(SEQUENCES, 6).score(new int[]{ 0 }, scores);
        assertEquals("[4.0, 2.0, 4.0, 2.0, 1.0, 4.0]", Arrays.toString(scores));
    }

    /** EASE's optimality: (G + λI)·B equals G off the diagonal, with B's diagonal zero. */
    @Test
    void easeSolvesItsClosedForm() {
        Random random = new Random(5);
        int items = 30;
        int[][] users = new int[80][];
        for (int u = 0; u < users.length; u++) {
            users[u] = random.ints(3 + random.nextInt(8), 0, items).toArray();
        }
        float lambda = 7;
        Ease ease = new Ease(users, items, lambda);
        double[] g = Ease.gram(users, items);
        double worst = 0;
        for (int i = 0; i < items; i++) {
            assertEquals(0f, ease.weight(i, i));
            for (int j = 0; j < items; j++) {
                if (i != j) {
                    double s = lambda * ease.weight(i, j);
                    for (int m = 0; m < items; m++) {
                        s += g[i * items + m] * ease.weight(m, j);
                    }
                    worst = Math.max(worst, Math.abs(s - g[i * items + j]));
                }
            }
        }
        assertTrue(worst < 1e-4, "largest deviation " + worst);
        float[] scores = new float[items];
        ease.score(new int[]{ 3, 4, 3 }, scores);
        assertEquals(ease.weight(3, 7) + ease.weight(4, 7), scores[7], 1e-6);
    }

    @Test
    void easeRefusesACatalogueWhoseInverseDoesNotFitTheHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ease(SEQUENCES, 200_000, 500));
        assertTrue(e.getMessage().contains("EASE on 200000 items needs a dense 200000 x 200000 inverse"), e.getMessage());
    }
}

package org.recsys.core.sequential;

import org.junit.jupiter.api.Test;
import org.recsys.core.baseline.TransitionCounts;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NextItemValidationTest {

    /**
     * The validation step ranks the target at every weight as the served model would: the scores with
     * {@link TransitionFusion#addTo} applied, the history's items left out, the rank the number of items above.
     */
    @Test
    void theFusedRanksAreTheServedScoresRanks() {
        Random random = new Random(3);
        int items = 40;
        int[][] sequences = new int[60][];
        for (int u = 0; u < sequences.length; u++) {
            sequences[u] = random.ints(2 + random.nextInt(6), 0, items).toArray();
        }
        TransitionCounts counts = new TransitionCounts(sequences, items).bounded(5);
        float[] above = new float[items];
        int[] ranks = new int[TransitionFusion.WEIGHTS.length];
        int changed = 0;
        for (int trial = 0; trial < 300; trial++) {
            float[] scores = new float[items];
            for (int i = 0; i < items; i++) {
                scores[i] = (float) random.nextGaussian();
            }
            int[] history = random.ints(1 + random.nextInt(4), 0, items).toArray();
            int target = random.nextInt(items);
            NextItemValidation.ranks(scores, 0, items, history, target, counts, above, ranks);
            for (int w = 0; w < ranks.length; w++) {
                int expected = servedRank(scores, history, target, new TransitionFusion(TransitionFusion.WEIGHTS[w], counts));
                assertEquals(expected, ranks[w], "trial " + trial + ", weight " + TransitionFusion.WEIGHTS[w]);
            }
            changed += ranks[0] != ranks[ranks.length - 1] ? 1 : 0;
        }
        // The transitions matter in some trials, or the comparison shows nothing.
        assertTrue(changed > 20, "the weight changed " + changed + " ranks");
    }

    private static int servedRank(float[] scores, int[] history, int target, TransitionFusion fusion) {
        if (Arrays.stream(history).anyMatch(i -> i == target)) {
            return Integer.MAX_VALUE;
        }
        float[] served = scores.clone();
        fusion.addTo(history[history.length - 1], served);
        int rank = 0;
        for (int i = 0; i < served.length; i++) {
            int item = i;
            if (served[i] > served[target] && Arrays.stream(history).noneMatch(h -> h == item)) {
                rank++;
            }
        }
        return rank;
    }
}

package org.recsys.core.fusion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateListsTest {

    /** Two candidates per list: the first best by collaborative score, the second by content; {@code relevant} says which is held out. */
    private static void list(CandidateLists.Builder b, int relevantItems, boolean firstRelevant, boolean secondRelevant) {
        double[] row = new double[FusionFeature.COUNT];
        b.startList(relevantItems);
        row[FusionFeature.COLLABORATIVE.ordinal()] = 1;
        row[FusionFeature.CONTENT.ordinal()] = 0;
        b.add(row, firstRelevant);
        row[FusionFeature.COLLABORATIVE.ordinal()] = 0;
        row[FusionFeature.CONTENT.ordinal()] = 1;
        b.add(row, secondRelevant);
    }

    /**
     * Per-list NDCG@1 differences of content over collaborative are 1, −1 and 1 (the list without a relevant item is
     * not counted): mean 1/3, sample variance 4/3, standard error 2/3.
     */
    @Test
    void gainIsThePairedMeanWithItsStandardError() {
        CandidateLists.Builder b = new CandidateLists.Builder();
        list(b, 1, false, true);
        list(b, 1, true, false);
        list(b, 0, false, false);
        list(b, 1, false, true);
        CandidateLists lists = b.build();
        CandidateLists.Gain gain =
            lists.gain(FusionNet.identity(FusionFeature.CONTENT), FusionNet.identity(FusionFeature.COLLABORATIVE), 1);
        assertEquals(1.0 / 3, gain.mean(), 1e-12);
        assertEquals(2.0 / 3, gain.standardError(), 1e-12);
        assertTrue(gain.above(0.4));
        assertFalse(gain.above(0.6));
        CandidateLists.Gain loss =
            lists.gain(FusionNet.identity(FusionFeature.COLLABORATIVE), FusionNet.identity(FusionFeature.CONTENT), 1);
        assertTrue(loss.notBelow(0.6));
        assertFalse(loss.notBelow(0.4));
    }
}

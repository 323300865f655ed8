package org.recsys.core.sequential;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingBatchTest {

    private static final ModelShape SHAPE = new ModelShape(50, 8, 1, 2, 40);

    private static List<int[]> windows(Random random) {
        List<int[]> windows = new ArrayList<>();
        for (int b = 0; b < 200; b++) {
            int[] w = new int[1 + random.nextInt(40)];
            for (int t = 0; t < w.length; t++) {
                w[t] = random.nextInt(SHAPE.items());
            }
            windows.add(w);
        }
        return windows;
    }

    @Test
    void theTailIsAlwaysMaskedAndOtherPositionsAtTheRate() {
        Random random = new Random(3);
        List<int[]> windows = windows(random);
        TrainingBatch batch = TrainingBatch.of(windows, SHAPE, 0.3f, false, new Random(4));
        PaddedSequences s = batch.sequences();
        assertEquals(windows.size(), batch.targets().length, "tail-only loss reads one position per window");
        for (int b = 0; b < windows.size(); b++) {
            int[] w = windows.get(b);
            long tail = (long) b * s.length() + s.length() - 1;
            assertEquals(SHAPE.maskToken(), s.tokens()[(int) tail]);
            assertEquals(tail, batch.lossRows()[b]);
            assertEquals(w[w.length - 1], batch.targets()[b]);
            assertEquals(0, s.positions()[(int) tail]);
        }
        double rate = (double) batch.masked() / batch.positions();
        assertTrue(batch.positions() > 3000, "enough positions for the rate: " + batch.positions());
        assertEquals(0.3, rate, 0.03, "masked " + batch.masked() + " of " + batch.positions());
    }

    @Test
    void everyMaskedPositionIsALossRowWithItsHiddenItem() {
        List<int[]> windows = windows(new Random(5));
        TrainingBatch batch = TrainingBatch.of(windows, SHAPE, 0.3f, true, new Random(6));
        PaddedSequences s = batch.sequences();
        assertEquals(batch.masked() + windows.size(), batch.targets().length);
        for (int i = 0; i < batch.lossRows().length; i++) {
            int row = (int) batch.lossRows()[i];
            assertEquals(SHAPE.maskToken(), s.tokens()[row]);
            int b = row / s.length();
            int[] w = windows.get(b);
            int t = w.length - (s.length() - row % s.length());
            assertEquals(w[t], batch.targets()[i]);
        }
        // Unmasked positions hold their item's token; padding is token 0 with a masked key.
        int b = 0;
        int[] w = windows.get(b);
        int pad = s.length() - w.length;
        for (int c = 0; c < pad; c++) {
            assertEquals(0, s.tokens()[c]);
            assertEquals(PaddedSequences.MASKED, s.keyMask()[c]);
        }
        for (int c = pad; c < s.length(); c++) {
            long token = s.tokens()[c];
            assertTrue(token == SHAPE.maskToken() || token == w[c - pad] + 1);
            assertEquals(0f, s.keyMask()[c]);
        }
    }

    /** Every position but a window's last is a token, and its loss row asks for the item after it. */
    @Test
    void aCausalBatchTargetsTheNextItemAtEveryPosition() {
        List<int[]> windows = List.of(new int[]{ 5, 6, 7, 8 }, new int[]{ 9, 3 });
        TrainingBatch b = TrainingBatch.causal(windows);
        PaddedSequences s = b.sequences();
        assertEquals(3, s.length());
        assertEquals("[6, 7, 8, 0, 0, 10]", java.util.Arrays.toString(s.tokens()));
        assertEquals("[0, 1, 2, 5]", java.util.Arrays.toString(b.lossRows()));
        assertEquals("[6, 7, 8, 3]", java.util.Arrays.toString(b.targets()));
        for (long row : b.lossRows()) {
            assertTrue(s.tokens()[(int) row] != 0, "a loss row on padding");
        }
    }

    @Test
    void sampledItemsHoldEveryTargetAtItsColumn() {
        TrainingBatch b = TrainingBatch.causal(windows(new Random(4)).stream().filter(w -> w.length > 1).toList());
        TrainingBatch.SampledItems sampled = b.sample(SHAPE.items(), 10, new Random(5));
        for (int i = 1; i < sampled.candidates().length; i++) {
            assertTrue(sampled.candidates()[i - 1] < sampled.candidates()[i], "candidates are distinct and in order");
        }
        for (int r = 0; r < b.targets().length; r++) {
            assertEquals(b.targets()[r], sampled.candidates()[(int) sampled.columns()[r]]);
        }
    }
}

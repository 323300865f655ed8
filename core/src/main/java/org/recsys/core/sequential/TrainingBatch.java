package org.recsys.core.sequential;

import it.unimi.dsi.fastutil.ints.IntAVLTreeSet;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A masked batch: each window's items become tokens, each position is masked with probability {@code maskProbability}
 * and the last always is; the loss reads the tail of every window and, with {@code everyMasked}, every other masked
 * position too.
 *
 * @param lossRows flat indices (row × length + column) of the positions the loss reads
 * @param targets  the item index hidden at each of those positions
 */
record TrainingBatch(PaddedSequences sequences, long[] lossRows, long[] targets, int masked, int positions) {

    /**
     * A causal batch: each window but its last item as tokens, and at every position the item after it as the
     * target (windows hold at least two items).
     */
    static TrainingBatch causal(List<int[]> windows) {
        List<int[]> rows = new ArrayList<>(windows.size());
        int positions = 0;
        for (int[] w : windows) {
            int[] tokens = new int[w.length - 1];
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = w[t] + 1;
            }
            rows.add(tokens);
            positions += tokens.length;
        }
        PaddedSequences sequences = PaddedSequences.of(rows);
        long[] lossRows = new long[positions];
        long[] targets = new long[positions];
        int at = 0;
        for (int b = 0; b < windows.size(); b++) {
            int[] w = windows.get(b);
            int pad = sequences.length() - (w.length - 1);
            for (int t = 0; t + 1 < w.length; t++) {
                lossRows[at] = (long) b * sequences.length() + pad + t;
                targets[at++] = w[t + 1];
            }
        }
        return new TrainingBatch(sequences, lossRows, targets, 0, positions);
    }

    /**
     * The items a sampled softmax scores: the batch's targets and {@code negatives} items drawn at random, distinct and
     * in order, with each target's column among them.
     */
    SampledItems sample(int items, int negatives, Random random) {
        IntAVLTreeSet chosen = new IntAVLTreeSet();
        for (long t : targets) {
            chosen.add((int) t);
        }
        for (int n = 0; n < negatives; n++) {
            chosen.add(random.nextInt(items));
        }
        long[] candidates = new long[chosen.size()];
        int c = 0;
        for (int item : chosen) {
            candidates[c++] = item;
        }
        long[] columns = new long[targets.length];
        for (int i = 0; i < targets.length; i++) {
            columns[i] = Arrays.binarySearch(candidates, targets[i]);
        }
        return new SampledItems(candidates, columns);
    }

    /** @param columns each loss row's target as a column of {@code candidates} */
    record SampledItems(long[] candidates, long[] columns) {}

    static TrainingBatch of(List<int[]> windows, ModelShape shape, float maskProbability, boolean everyMasked, Random random) {
        List<int[]> rows = new ArrayList<>(windows.size());
        LongArrayList lossColumns = new LongArrayList();
        LongArrayList lossRowOf = new LongArrayList();
        LongArrayList targets = new LongArrayList();
        int masked = 0;
        int positions = 0;
        for (int b = 0; b < windows.size(); b++) {
            int[] items = windows.get(b);
            int[] tokens = new int[items.length];
            for (int t = 0; t < items.length; t++) {
                boolean tail = t == items.length - 1;
                if (tail || random.nextFloat() < maskProbability) {
                    tokens[t] = shape.maskToken();
                    if (tail == false) {
                        masked++;
                    }
                    if (tail || everyMasked) {
                        lossRowOf.add(b);
                        lossColumns.add(t - items.length);
                        targets.add(items[t]);
                    }
                } else {
                    tokens[t] = items[t] + 1;
                }
            }
            positions += items.length - 1;
            rows.add(tokens);
        }
        PaddedSequences sequences = PaddedSequences.of(rows);
        long[] lossRows = new long[targets.size()];
        for (int i = 0; i < lossRows.length; i++) {
            // Columns were counted back from each row's end; rows are left-padded, so they end at the last column.
            lossRows[i] = lossRowOf.getLong(i) * sequences.length() + sequences.length() + lossColumns.getLong(i);
        }
        return new TrainingBatch(sequences, lossRows, targets.toLongArray(), masked, positions);
    }
}

package org.recsys.core.sequential;

import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.ArrayList;
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

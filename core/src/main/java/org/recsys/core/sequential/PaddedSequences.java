package org.recsys.core.sequential;

import java.util.List;

/**
 * Token rows of different lengths as one batch: left-padded to the longest (so every row ends at the last column),
 * positions counted back from the row's end, and an additive key mask that gives padding no attention.
 */
record PaddedSequences(int size, int length, long[] tokens, long[] positions, float[] keyMask) {

    static final float MASKED = -1e9f;

    static PaddedSequences of(List<int[]> rows) {
        int length = 0;
        for (int[] row : rows) {
            length = Math.max(length, row.length);
        }
        int size = rows.size();
        long[] tokens = new long[size * length];
        long[] positions = new long[size * length];
        float[] keyMask = new float[size * length];
        for (int b = 0; b < size; b++) {
            int[] row = rows.get(b);
            int pad = length - row.length;
            for (int c = 0; c < length; c++) {
                int at = b * length + c;
                if (c < pad) {
                    keyMask[at] = MASKED;
                } else {
                    tokens[at] = row[c - pad];
                    positions[at] = length - 1 - c;
                }
            }
        }
        return new PaddedSequences(size, length, tokens, positions, keyMask);
    }

    /** The flat index (row × length + column) of each row's last token. */
    long[] tails() {
        long[] tails = new long[size];
        for (int b = 0; b < size; b++) {
            tails[b] = (long) b * length + length - 1;
        }
        return tails;
    }
}

package org.recsys.core.encoder;

import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Sequences of token ids padded on the right to the longest of them, row-major: {@code ids} holds the padding id
 * and {@code mask} 0 where a sequence has ended, 1 on real tokens. The input of every {@link Transformer}.
 */
record PaddedBatch(int size, int length, long[] ids, long[] mask) {

    /** Pads {@code sequences} (special tokens included, each 1 to {@code maxLength} ids) with {@code padId}. */
    static PaddedBatch of(long[][] sequences, long padId, int maxLength) {
        int length = 0;
        for (long[] seq : sequences) {
            if (seq.length == 0 || seq.length > maxLength) {
                throw new IllegalArgumentException("a sequence has [" + seq.length + "] tokens; expected 1 to " + maxLength);
            }
            length = Math.max(length, seq.length);
        }
        long[] ids = new long[sequences.length * length];
        long[] mask = new long[ids.length];
        Arrays.fill(ids, padId);
        for (int b = 0; b < sequences.length; b++) {
            System.arraycopy(sequences[b], 0, ids, b * length, sequences[b].length);
            Arrays.fill(mask, b * length, b * length + sequences[b].length, 1L);
        }
        return new PaddedBatch(sequences.length, length, ids, mask);
    }

    Shape shape() {
        return new Shape(size, length);
    }
}

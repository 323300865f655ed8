package org.recsys.core.baseline;

import it.unimi.dsi.fastutil.ints.IntArrays;

import java.util.Arrays;

/**
 * How often each item directly followed each other item in a set of sequences, as one row of successors per item
 * (CSR, successors in increasing order), so memory grows with the distinct pairs.
 */
public final class TransitionCounts {

    private final int[] offsets;
    private final int[] successors;
    private final int[] counts;

    /** @param sequences item indices below {@code items}, oldest first, one array per user */
    public TransitionCounts(int[][] sequences, int items) {
        int[] outgoing = new int[items + 1];
        for (int[] s : sequences) {
            for (int t = 0; t + 1 < s.length; t++) {
                outgoing[s[t] + 1]++;
            }
        }
        for (int i = 0; i < items; i++) {
            outgoing[i + 1] += outgoing[i];
        }
        int[] next = new int[outgoing[items]];
        int[] fill = outgoing.clone();
        for (int[] s : sequences) {
            for (int t = 0; t + 1 < s.length; t++) {
                next[fill[s[t]]++] = s[t + 1];
            }
        }
        // Each item's successors sorted, then runs of one successor counted.
        int[] rowStart = new int[items + 1];
        int pairs = 0;
        for (int i = 0; i < items; i++) {
            IntArrays.quickSort(next, outgoing[i], outgoing[i + 1]);
            for (int at = outgoing[i]; at < outgoing[i + 1]; at++) {
                if (at == outgoing[i] || next[at] != next[at - 1]) {
                    pairs++;
                }
            }
            rowStart[i + 1] = pairs;
        }
        this.offsets = rowStart;
        this.successors = new int[pairs];
        this.counts = new int[pairs];
        int p = -1;
        for (int i = 0; i < items; i++) {
            for (int at = outgoing[i]; at < outgoing[i + 1]; at++) {
                if (at == outgoing[i] || next[at] != next[at - 1]) {
                    successors[++p] = next[at];
                }
                counts[p]++;
            }
        }
    }

    /**
     * Rows as they are, checked: {@code offsets} has one more entry than there are items, each row's successors
     * increase, and every count is positive.
     */
    public TransitionCounts(int[] offsets, int[] successors, int[] counts) {
        if (offsets.length < 1
            || offsets[0] != 0
            || offsets[offsets.length - 1] != successors.length
            || successors.length != counts.length) {
            throw new IllegalArgumentException("transition rows must have offsets from 0 to the number of pairs, one count per successor");
        }
        int items = offsets.length - 1;
        for (int i = 0; i < items; i++) {
            if (offsets[i + 1] < offsets[i]) {
                throw new IllegalArgumentException("transition row offsets must not decrease, at item [" + i + "]");
            }
            for (int at = offsets[i]; at < offsets[i + 1]; at++) {
                if (successors[at] < 0
                    || successors[at] >= items
                    || (at > offsets[i] && successors[at] <= successors[at - 1])
                    || counts[at] < 1) {
                    throw new IllegalArgumentException(
                        "transition row of item [" + i + "] must hold increasing item indices with positive counts"
                    );
                }
            }
        }
        this.offsets = offsets;
        this.successors = successors;
        this.counts = counts;
    }

    public int items() {
        return offsets.length - 1;
    }

    /** How often {@code next} directly followed {@code item}. */
    public int count(int item, int next) {
        int at = IntArrays.binarySearch(successors, offsets[item], offsets[item + 1], next);
        return at >= 0 ? counts[at] : 0;
    }

    /** Where {@code item}'s row starts in {@link #successor} and {@link #countAt}. */
    public int rowStart(int item) {
        return offsets[item];
    }

    /** Where {@code item}'s row ends (exclusive). */
    public int rowEnd(int item) {
        return offsets[item + 1];
    }

    public int successor(int at) {
        return successors[at];
    }

    public int countAt(int at) {
        return counts[at];
    }

    /** Distinct (item, successor) pairs. */
    public int pairs() {
        return successors.length;
    }

    /**
     * Each row cut to its {@code max} most frequent successors (equal counts: the lower index first), still in
     * increasing order of successor: what a served model keeps, so that its size is bounded per item.
     */
    public TransitionCounts bounded(int max) {
        int items = items();
        int[] rowStart = new int[items + 1];
        int[] keptSuccessors = new int[successors.length];
        int[] keptCounts = new int[keptSuccessors.length];
        int n = 0;
        for (int i = 0; i < items; i++) {
            int from = offsets[i], to = offsets[i + 1];
            if (to - from <= max) {
                System.arraycopy(successors, from, keptSuccessors, n, to - from);
                System.arraycopy(counts, from, keptCounts, n, to - from);
                n += to - from;
            } else {
                int[] order = new int[to - from];
                for (int at = 0; at < order.length; at++) {
                    order[at] = from + at;
                }
                IntArrays.quickSort(
                    order,
                    (a, b) -> counts[a] != counts[b] ? Integer.compare(counts[b], counts[a]) : Integer.compare(successors[a], successors[b])
                );
                int[] kept = Arrays.copyOf(order, max);
                Arrays.sort(kept); // positions in the row: increasing position is increasing successor
                for (int at : kept) {
                    keptSuccessors[n] = successors[at];
                    keptCounts[n++] = counts[at];
                }
            }
            rowStart[i + 1] = n;
        }
        return new TransitionCounts(rowStart, Arrays.copyOf(keptSuccessors, n), Arrays.copyOf(keptCounts, n));
    }
}

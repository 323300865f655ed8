package org.recsys.core.baseline;

import it.unimi.dsi.fastutil.ints.IntArrays;

/**
 * The first-order item-to-item transition model: item j's score after a history is how often j directly followed
 * the history's last item in the training sequences; items that never did (and ties) rank by popularity.
 * Counts are kept as one sorted row of successors per item (CSR), so memory grows with the distinct pairs.
 */
public final class Transitions implements NextItemScorer {

    private final int[] offsets;
    private final int[] successors;
    private final int[] counts;
    private final Popularity popularity;

    /** @param sequences item indices below {@code items}, oldest first, one array per user */
    public Transitions(int[][] sequences, int items) {
        this.popularity = new Popularity(sequences, items);
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

    /** How often {@code next} directly followed {@code item} in the training sequences. */
    public int count(int item, int next) {
        int at = IntArrays.binarySearch(successors, offsets[item], offsets[item + 1], next);
        return at >= 0 ? counts[at] : 0;
    }

    @Override
    public void score(int[] history, float[] scores) {
        popularity.fractions(scores);
        int last = history[history.length - 1];
        for (int at = offsets[last]; at < offsets[last + 1]; at++) {
            scores[successors[at]] += counts[at];
        }
    }
}

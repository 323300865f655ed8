package org.recsys.core.sequential;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.BitSet;
import java.util.List;

/**
 * The validation step of early stopping: each user's history and the item that came next. HR@10 and NDCG@10 are
 * computed as P3 scores them: the history's items are not ranked, and the target's rank is the number of other
 * ranked items that score higher.
 */
public final class NextItemValidation {

    static final int K = 10;

    public record Metrics(double hitRate, double ndcg) {}

    private final int[][] histories;
    private final int[] targets;

    /**
     * @param histories item indices, oldest first; the most recent {@link ModelShape#maxHistory()} are read
     * @param targets   the next item of each history, or -1 when the model does not know it (always a miss)
     */
    public NextItemValidation(int[][] histories, int[] targets) {
        if (histories.length != targets.length) {
            throw new IllegalArgumentException(histories.length + " histories but " + targets.length + " targets");
        }
        // In order of length, since a batch is padded to its longest history.
        Integer[] order = new Integer[targets.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> histories[i].length));
        this.histories = new int[order.length][];
        this.targets = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            this.histories[i] = histories[order[i]];
            this.targets[i] = targets[order[i]];
        }
    }

    public int size() {
        return targets.length;
    }

    Metrics evaluate(SequentialNetwork network, ModelShape shape, NDManager parent, int batchSize) {
        double hits = 0;
        double ndcg = 0;
        for (int from = 0; from < targets.length; from += batchSize) {
            int to = Math.min(targets.length, from + batchSize);
            List<int[]> rows = new ArrayList<>(to - from);
            for (int u = from; u < to; u++) {
                rows.add(queryTokens(histories[u], shape));
            }
            PaddedSequences batch = PaddedSequences.of(rows);
            float[] scores;
            try (NDManager m = parent.newSubManager()) {
                NDArray tails = network.hidden(m, batch, 0f, false).get(m.create(batch.tails()));
                scores = network.itemScores(tails).toFloatArray();
            }
            for (int u = from; u < to; u++) {
                int rank = rank(scores, (u - from) * shape.items(), shape.items(), histories[u], targets[u]);
                if (rank < K) {
                    hits++;
                    ndcg += 1 / (Math.log(rank + 2) / Math.log(2));
                }
            }
        }
        return new Metrics(hits / targets.length, ndcg / targets.length);
    }

    /** The most recent {@link ModelShape#maxHistory()} items as tokens, then, for a masked model, the mask. */
    static int[] queryTokens(int[] history, ModelShape shape) {
        int used = Math.min(history.length, shape.maxHistory());
        int[] tokens = new int[shape.causal() ? used : used + 1];
        for (int t = 0; t < used; t++) {
            tokens[t] = history[history.length - used + t] + 1;
        }
        if (shape.causal() == false) {
            tokens[used] = shape.maskToken();
        }
        return tokens;
    }

    /** How many items outside the history score above the target (0 = first); a target in the history never counts. */
    private static int rank(float[] scores, int offset, int items, int[] history, int target) {
        if (target < 0) {
            return Integer.MAX_VALUE;
        }
        BitSet seen = new BitSet(items);
        for (int item : history) {
            seen.set(item);
        }
        if (seen.get(target)) {
            return Integer.MAX_VALUE;
        }
        float s = scores[offset + target];
        int rank = 0;
        for (int i = 0; i < items; i++) {
            if (scores[offset + i] > s && seen.get(i) == false) {
                rank++;
            }
        }
        return rank;
    }
}

package org.recsys.core.sequential;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.recsys.core.baseline.TransitionCounts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * The validation step of early stopping: each user's history and the item that came next. HR@10 and NDCG@10 are
 * computed as P3 scores them: the history's items are not ranked, and the target's rank is the number of other
 * ranked items that score higher.
 */
public final class NextItemValidation {

    static final int K = 10;

    /**
     * The network's figures (what early stopping reads), and the served ranking's: the network's score plus the
     * transition term at {@code weight}, the weight of {@link TransitionFusion#WEIGHTS} with the best NDCG@10 (the
     * lowest of equals).
     */
    public record Metrics(double hitRate, double ndcg, float weight, double fusedHitRate, double fusedNdcg) {}

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

    /** Scores the validation step with the transitions of the training sequences, {@code counts}, at every weight of the grid. */
    Metrics evaluate(SequentialNetwork network, ModelShape shape, NDManager parent, int batchSize, TransitionCounts counts) {
        float[] weights = TransitionFusion.WEIGHTS;
        double[] hits = new double[weights.length];
        double[] ndcg = new double[weights.length];
        int[] ranks = new int[weights.length];
        float[] above = new float[shape.items()];
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
                ranks(scores, (u - from) * shape.items(), shape.items(), histories[u], targets[u], counts, above, ranks);
                for (int w = 0; w < weights.length; w++) {
                    if (ranks[w] < K) {
                        hits[w]++;
                        ndcg[w] += 1 / (Math.log(ranks[w] + 2) / Math.log(2));
                    }
                }
            }
        }
        int best = 0;
        for (int w = 1; w < weights.length; w++) {
            if (ndcg[w] > ndcg[best]) {
                best = w;
            }
        }
        int n = targets.length;
        return new Metrics(hits[0] / n, ndcg[0] / n, weights[best], hits[best] / n, ndcg[best] / n);
    }

    /** Each history's last item and the item after it, for the users whose next item the model knows. */
    int[][] lastSteps() {
        List<int[]> steps = new ArrayList<>();
        for (int u = 0; u < targets.length; u++) {
            if (targets[u] >= 0 && histories[u].length > 0) {
                steps.add(new int[]{ histories[u][histories[u].length - 1], targets[u] });
            }
        }
        return steps.toArray(int[][]::new);
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

    /**
     * For each weight of the grid, how many items outside the history score above the target when the transition term
     * of the history's last item is added (0 = first); a target in the history, or unknown, never counts.
     *
     * @param above scratch space of one float per item
     */
    static void ranks(
        float[] scores,
        int offset,
        int items,
        int[] history,
        int target,
        TransitionCounts counts,
        float[] above,
        int[] ranks
    ) {
        float[] weights = TransitionFusion.WEIGHTS;
        BitSet seen = new BitSet(items);
        for (int item : history) {
            seen.set(item);
        }
        if (target < 0 || seen.get(target)) {
            Arrays.fill(ranks, Integer.MAX_VALUE);
            return;
        }
        int last = history[history.length - 1];
        int rowStart = counts.rowStart(last), rowEnd = counts.rowEnd(last);
        float s = scores[offset + target];
        float f = TransitionFusion.feature(counts.count(last, target));
        // Items outside the row keep the model's score: the ones above the target's unfused score are the only
        // ones that can be above its fused score, at any weight.
        int n = 0;
        int at = rowStart;
        for (int i = 0; i < items; i++) {
            if (at < rowEnd && counts.successor(at) == i) {
                at++;
            } else if (scores[offset + i] > s && seen.get(i) == false) {
                above[n++] = scores[offset + i];
            }
        }
        for (int w = 0; w < weights.length; w++) {
            float fused = s + weights[w] * f;
            int rank = 0;
            for (int j = 0; j < n; j++) {
                if (above[j] > fused) {
                    rank++;
                }
            }
            for (int r = rowStart; r < rowEnd; r++) {
                int i = counts.successor(r);
                if (i != target && seen.get(i) == false && scores[offset + i] + TransitionFusion.term(weights[w], counts, r) > fused) {
                    rank++;
                }
            }
            ranks[w] = rank;
        }
    }
}

package org.recsys.core.fusion;

import it.unimi.dsi.fastutil.ints.IntArrays;

/** Reorders candidates by a fusion: each candidate's value ({@link #values}), then the k best. */
public final class FusedOrder {

    private FusedOrder() {}

    /**
     * Positions of the {@code min(k, n)} best of the n candidates whose features start at {@code from} (rows of
     * {@link FusionFeature#COUNT}) by their {@link #values}, best first; equal values keep the first-phase order.
     */
    public static int[] top(Fusion fusion, double[] features, int from, int n, int k) {
        double[] scores = values(fusion, features, from, n);
        int m = Math.min(k, n);
        int[] out = new int[m];
        boolean[] taken = new boolean[n];
        // Selection is enough for k ≪ n.
        for (int r = 0; r < m; r++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (taken[i] == false && (best < 0 || scores[i] > scores[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out[r] = best;
        }
        return out;
    }

    /**
     * The value each candidate is ordered by: its raw fused value, except that a fusion that reads
     * {@link FusionFeature#PROJECTED} (the hybrid's) places the new items only ({@link #keepKnownOrder}).
     */
    public static double[] values(Fusion fusion, double[] features, int from, int n) {
        double[] row = new double[FusionFeature.COUNT];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features, (from + i) * FusionFeature.COUNT, row, 0, FusionFeature.COUNT);
            values[i] = fusion.raw(row);
        }
        if (fusion.reads(FusionFeature.PROJECTED)) {
            keepKnownOrder(values, features, from, FusionFeature.COUNT, n);
        }
        return values;
    }

    /**
     * The hybrid's rule: the known items keep the model's order, and the fused values only decide which ranks the new
     * (projected) items take among them. On known items the WALS order is the reference a fusion has not beaten (P1);
     * what the fusion adds is where new arrivals belong. The known candidates' values are handed out again, the best
     * to the best by {@link FusionFeature#COLLABORATIVE} and so on down (ties by position), so that every value, and
     * each new item's rank against them, stays as the fusion gave it.
     *
     * @param values   the raw fused value of each of the n candidates, rewritten for the known ones
     * @param features the candidates' features, rows of {@code width} from row {@code from}, with
     *                 {@link FusionFeature#COLLABORATIVE} and {@link FusionFeature#PROJECTED} at their ordinals
     */
    public static void keepKnownOrder(double[] values, double[] features, int from, int width, int n) {
        int[] known = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (features[(from + i) * width + FusionFeature.PROJECTED.ordinal()] == 0) {
                known[count++] = i;
            }
        }
        double[] knownValues = new double[count];
        for (int j = 0; j < count; j++) {
            knownValues[j] = values[known[j]];
        }
        java.util.Arrays.sort(knownValues);
        byCollaborative(known, count, features, from, width);
        for (int j = 0; j < count; j++) {
            values[known[j]] = knownValues[count - 1 - j];
        }
    }

    /**
     * Sorts the first {@code count} of {@code positions} by their candidates' {@link FusionFeature#COLLABORATIVE} score
     * (the model's order), best first, ties by position; features as in {@link #keepKnownOrder}.
     */
    public static void byCollaborative(int[] positions, int count, double[] features, int from, int width) {
        int collaborative = FusionFeature.COLLABORATIVE.ordinal();
        IntArrays.quickSort(positions, 0, count, (a, b) -> {
            int c = Double.compare(features[(from + b) * width + collaborative], features[(from + a) * width + collaborative]);
            return c != 0 ? c : Integer.compare(a, b);
        });
    }
}

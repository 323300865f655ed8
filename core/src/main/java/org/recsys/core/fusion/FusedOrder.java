package org.recsys.core.fusion;

/** Reorders candidates by a fusion: each candidate's raw fused value, then the k best. */
public final class FusedOrder {

    private FusedOrder() {}

    /**
     * Positions of the {@code min(k, n)} best of the n candidates whose features start at {@code from} (rows of
     * {@link FusionFeature#COUNT}), best first; equal values keep the first-phase order.
     */
    public static int[] top(Fusion fusion, double[] features, int from, int n, int k) {
        double[] row = new double[FusionFeature.COUNT];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features, (from + i) * FusionFeature.COUNT, row, 0, FusionFeature.COUNT);
            scores[i] = fusion.raw(row);
        }
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
}

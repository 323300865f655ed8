package org.recsys.plugin.rescore;

import org.recsys.core.fusion.FusedOrder;
import org.recsys.core.fusion.FusionFeature;

import java.util.Arrays;

/**
 * The hybrid fusion's candidates among a rescore window that holds more: the best {@code window} hits by the model's
 * (collaborative) score and the best {@code reserved} projected hits by the same score, each once, as offline. It
 * lets {@code _recommend} search both spaces without a filter of the user's items (whose bit set costs a pass over
 * every document): each {@code knn} asks for as many more neighbours as the user has items, those items are dropped
 * beside it, and the window, which then holds a few hits too many, is cut here.
 */
record HybridWindow(int window, int reserved) {

    /**
     * Marks the candidates among {@code n} hits whose features are rows of {@code width} in {@code features}.
     *
     * @return for each hit, whether it is a candidate
     */
    boolean[] candidates(double[] features, int width, int n) {
        boolean[] chosen = new boolean[n];
        if (n <= window) {
            Arrays.fill(chosen, true);
            return chosen;
        }
        int projected = FusionFeature.PROJECTED.ordinal();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        FusedOrder.byCollaborative(order, n, features, 0, width);
        int projectedTaken = 0;
        for (int rank = 0; rank < n; rank++) {
            int i = order[rank];
            boolean isProjected = features[i * width + projected] != 0;
            if (rank < window || (isProjected && projectedTaken < reserved)) {
                chosen[i] = true;
            }
            if (isProjected) {
                projectedTaken++;
            }
        }
        return chosen;
    }
}

package org.recsys.core.fusion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class FusedOrderTest {

    private static final int C = FusionFeature.COLLABORATIVE.ordinal();
    private static final int CONTENT = FusionFeature.CONTENT.ordinal();
    private static final int P = FusionFeature.PROJECTED.ordinal();

    /** Candidates: collaborative score, content similarity, projected (1) or known (0). */
    private static double[] features(double[][] rows) {
        double[] out = new double[rows.length * FusionFeature.COUNT];
        for (int i = 0; i < rows.length; i++) {
            out[i * FusionFeature.COUNT + C] = rows[i][0];
            out[i * FusionFeature.COUNT + CONTENT] = rows[i][1];
            out[i * FusionFeature.COUNT + P] = rows[i][2];
        }
        return out;
    }

    private static WeightedSum weights(double collaborative, double content, double projected) {
        double[] w = new double[FusionFeature.COUNT];
        w[C] = collaborative;
        w[CONTENT] = content;
        w[P] = projected;
        return new WeightedSum(w);
    }

    // Known 0..2 by collaborative 0.9, 0.8, 0.1; their content says the opposite; new item 3 between them by the fusion.
    private static final double[] CANDIDATES =
        features(new double[][]{ { 0.9, 0.0, 0 }, { 0.8, 0.1, 0 }, { 0.1, 1.0, 0 }, { 0.2, 0.5, 1 } });

    /** Without `projected` the fusion orders every candidate by its own value. */
    @Test
    void aFusionWithoutProjectedOrdersByItsValue() {
        assertArrayEquals(new int[]{ 2, 3, 1, 0 }, FusedOrder.top(weights(0.1, 1, 0), CANDIDATES, 0, 4, 4));
    }

    /**
     * With `projected` the fusion's values (2: 1.01, 3: 0.52, 1: 0.18, 0: 0.09) decide only which ranks the new item
     * takes (the second); the known items fill the others in the model's order.
     */
    @Test
    void aHybridFusionPlacesNewItemsAmongKnownOnesInTheModelsOrder() {
        assertArrayEquals(new int[]{ 0, 3, 1, 2 }, FusedOrder.top(weights(0.1, 1, 1e-9), CANDIDATES, 0, 4, 4));
        assertArrayEquals(new int[]{ 0, 3 }, FusedOrder.top(weights(0.1, 1, 1e-9), CANDIDATES, 0, 4, 2));
        // A large enough offset on projected items puts the new one last, and first.
        assertArrayEquals(new int[]{ 0, 1, 2, 3 }, FusedOrder.top(weights(0.1, 1, -1), CANDIDATES, 0, 4, 4));
        assertArrayEquals(new int[]{ 3, 0, 1, 2 }, FusedOrder.top(weights(0.1, 1, 1), CANDIDATES, 0, 4, 4));
    }

    /** The known values are handed out again, best value to best by the model; the new item's value stays its own. */
    @Test
    void keepKnownOrderRedistributesTheKnownValuesOnly() {
        double[] values = { 0.09, 0.18, 1.01, 0.52 };
        double[] rows = new double[2 * FusionFeature.COUNT];
        double[] shifted = new double[rows.length + CANDIDATES.length];
        System.arraycopy(CANDIDATES, 0, shifted, rows.length, CANDIDATES.length);
        FusedOrder.keepKnownOrder(values, shifted, 2, FusionFeature.COUNT, 4);
        assertArrayEquals(new double[]{ 1.01, 0.18, 0.09, 0.52 }, values);
    }
}

package org.recsys.plugin.rescore;

import org.elasticsearch.test.ESTestCase;
import org.recsys.core.fusion.FusionFeature;

/** The hybrid fusion's candidates among more hits: the best window by the model's score and the best reserved projected. */
public class HybridWindowTests extends ESTestCase {

    private static final int WIDTH = FusionFeature.COUNT;

    /** Hits as (collaborative score, projected) pairs, in window order. */
    private static double[] hits(double... scoreAndProjected) {
        double[] features = new double[scoreAndProjected.length / 2 * WIDTH];
        for (int i = 0; i < scoreAndProjected.length / 2; i++) {
            features[i * WIDTH + FusionFeature.COLLABORATIVE.ordinal()] = scoreAndProjected[2 * i];
            features[i * WIDTH + FusionFeature.PROJECTED.ordinal()] = scoreAndProjected[2 * i + 1];
        }
        return features;
    }

    public void testTheBestWindowAndTheBestReservedProjectedAreTheCandidates() {
        // Known items 0.9, 0.8, 0.7, 0.1 and projected ones 0.85, 0.3, 0.2, 0.05: window 3, reserved 2.
        double[] features = hits(0.9, 0, 0.3, 1, 0.8, 0, 0.05, 1, 0.7, 0, 0.2, 1, 0.85, 1, 0.1, 0);
        boolean[] chosen = new HybridWindow(3, 2).candidates(features, WIDTH, 8);
        // 0.9, 0.85 (projected, in the window and one of the two best projected), 0.8; then 0.3, the second best projected.
        assertArrayEquals(new boolean[]{ true, true, true, false, false, false, true, false }, chosen);
    }

    public void testAWindowThatHoldsNoMoreThanTheCandidatesKeepsEveryHit() {
        double[] features = hits(0.1, 0, 0.2, 1);
        assertArrayEquals(new boolean[]{ true, true }, new HybridWindow(2, 1).candidates(features, WIDTH, 2));
    }

    public void testEqualScoresGoByPositionInTheWindow() {
        double[] features = hits(0.5, 0, 0.5, 0, 0.5, 0);
        assertArrayEquals(new boolean[]{ true, true, false }, new HybridWindow(2, 0).candidates(features, WIDTH, 3));
    }
}

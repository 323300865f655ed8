package org.recsys.core.melu;

/**
 * Predicted ratings for one adapted user, item by item, from each item's vector (its embedded features, as
 * {@link MeluModel#itemVectors} gives them and a node reads them from Lucene). The user's share of the first layer
 * is computed once here, so an item costs the rest of the network and allocates nothing. It holds scratch arrays:
 * one scorer per thread.
 */
public final class MeluScorer {

    private final DecisionNetwork net;
    private final float[] weights;
    private final float[] userPart;
    private final int userWidth;
    private final float[] z1;
    private final float[] z2;
    private final float minRating;
    private final float maxRating;

    MeluScorer(ParameterLayout layout, Adaptation adaptation, float minRating, float maxRating) {
        this.net = layout.network;
        this.weights = adaptation.fastWeights();
        this.userWidth = layout.sideWidth(FeatureField.Side.USER);
        if (weights.length != net.size || adaptation.userVector().length != userWidth) {
            throw new IllegalArgumentException("the adaptation does not belong to this model");
        }
        this.userPart = new float[net.h1];
        net.firstLayerPart(weights, 0, adaptation.userVector(), userWidth, userPart);
        this.z1 = new float[net.h1];
        this.z2 = new float[net.h2];
        this.minRating = minRating;
        this.maxRating = maxRating;
    }

    /** Length of an item vector. */
    public int itemWidth() {
        return net.in - userWidth;
    }

    /** The predicted rating, clamped to the model's scale, of the item whose vector is {@code item[offset ..]}. */
    public float score(float[] item, int offset) {
        float y = net.forwardRest(weights, 0, userPart, userWidth, item, offset, z1, z2);
        return Math.min(maxRating, Math.max(minRating, y));
    }
}

package org.recsys.core.wals;

import org.recsys.core.data.IdIndex;
import org.recsys.core.vector.FlatVectors;

/**
 * Trained WALS factors: user factor u is {@code userFactors[u*k .. u*k+k)}, item factor i likewise, so the
 * predicted preference is their dot product. Also keeps what fold-in needs: the item weights used in training, the
 * scale of the user weights, and the loss of every iteration.
 */
public final class WalsModel {

    private final WalsParams params;
    private final IdIndex users;
    private final IdIndex items;
    private final float[] userFactors;
    private final float[] itemFactors;
    private final float[] itemWeights;
    private final float userWeightScale;
    private final float userLambdaScale;
    private final double[] loss;

    WalsModel(
        WalsParams params,
        IdIndex users,
        IdIndex items,
        float[] userFactors,
        float[] itemFactors,
        float[] itemWeights,
        float userWeightScale,
        float userLambdaScale,
        double[] loss
    ) {
        this.params = params;
        this.users = users;
        this.items = items;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
        this.itemWeights = itemWeights;
        this.userWeightScale = userWeightScale;
        this.userLambdaScale = userLambdaScale;
        this.loss = loss;
    }

    public WalsParams params() {
        return params;
    }

    public int rank() {
        return params.rank();
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    /** Flat n×k user factors (shared, not copied). */
    public float[] userFactors() {
        return userFactors;
    }

    /** Flat n×k item factors (shared, not copied). */
    public float[] itemFactors() {
        return itemFactors;
    }

    /** Per-item weights σ used in training, or null when none were given. */
    public float[] itemWeights() {
        return itemWeights;
    }

    /**
     * The scale of the user weights ρ_u = scale · n_u^−β ({@link WalsParams#userWeightExponent()}), 1 when β is 0: a
     * folded-in user of n items is weighted as a training user of n items was.
     */
    public float userWeightScale() {
        return userWeightScale;
    }

    /**
     * The scale of the users' regularisation λ_u = λ · scale · n_u^η ({@link WalsParams#userLambdaExponent()}), 1
     * when η is 0: a folded-in user of n items is regularised as a training user of n items was.
     */
    public float userLambdaScale() {
        return userLambdaScale;
    }

    /** The objective after each iteration, or an empty array when it was not computed. */
    public double[] loss() {
        return loss.clone();
    }

    public float score(int user, int item) {
        int k = rank();
        return FlatVectors.dot(userFactors, user * k, itemFactors, item * k, k);
    }
}

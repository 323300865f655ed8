package org.recsys.core.fusion;

import java.util.Arrays;

/**
 * The fused value as Σ weight·feature, with weights given in {@link FusionFeature} order; fewer weights than features
 * weigh the remaining features 0 (so weights written before a feature was added keep their meaning).
 */
public final class WeightedSum implements Fusion {

    public static final String TYPE = "weighted_sum";

    private final double[] weights;

    public WeightedSum(double[] weights) {
        if (weights.length == 0 || weights.length > FusionFeature.COUNT) {
            throw new IllegalArgumentException(
                "[weights] has "
                    + weights.length
                    + " numbers; expected 1 to "
                    + FusionFeature.COUNT
                    + ", one per feature "
                    + FusionFeature.ids()
            );
        }
        for (int f = 0; f < weights.length; f++) {
            if (Double.isFinite(weights[f]) == false) {
                throw new IllegalArgumentException("[weights] element [" + f + "] is [" + weights[f] + "]; weights must be finite");
            }
        }
        this.weights = Arrays.copyOf(weights, FusionFeature.COUNT);
    }

    /** The WALS order itself (what the first phase ranks by): weight 1 on the collaborative score, 0 elsewhere. */
    public static WeightedSum collaborativeOnly() {
        double[] w = new double[FusionFeature.COUNT];
        w[FusionFeature.COLLABORATIVE.ordinal()] = 1;
        return new WeightedSum(w);
    }

    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double raw(double[] features) {
        double sum = 0;
        for (int f = 0; f < weights.length; f++) {
            sum += weights[f] * features[f];
        }
        return sum;
    }

    @Override
    public void contributions(double[] features, double[] out) {
        for (int f = 0; f < weights.length; f++) {
            out[f] = weights[f] * features[f];
        }
    }

    @Override
    public boolean reads(FusionFeature feature) {
        return weights[feature.ordinal()] != 0;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String toString() {
        return TYPE + Arrays.toString(weights);
    }
}

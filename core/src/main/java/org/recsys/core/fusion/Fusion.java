package org.recsys.core.fusion;

/**
 * Turns a feature vector (indexed by {@link FusionFeature#ordinal()}) into one raw fused value, higher is better;
 * {@link FusionFeatures#nonNegative} makes it a score. Implementations are immutable and allocation-free in
 * {@link #raw}, so one instance serves every thread and document.
 */
public interface Fusion {

    double raw(double[] features);

    /**
     * What each feature adds to {@link #raw}, for {@code explain}: {@code out[f]} for every feature (0 for one the
     * fusion does not use).
     */
    void contributions(double[] features, double[] out);

    /** {@code weighted_sum} or {@code learned}. */
    String type();

    /** Whether the fused value depends on {@code feature}, so that a caller must compute it. */
    boolean reads(FusionFeature feature);
}

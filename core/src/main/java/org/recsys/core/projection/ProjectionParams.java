package org.recsys.core.projection;

/**
 * How a projection is fitted: the ridge penalty λ on the weights (not the bias) and the weighting of the items.
 *
 * @param lambda    ≥ 0
 * @param weighting how much each warm item counts
 */
public record ProjectionParams(float lambda, ItemWeighting weighting) {

    public ProjectionParams {
        if (lambda < 0 || Float.isFinite(lambda) == false) {
            throw new IllegalArgumentException("[lambda] is [" + lambda + "]; it must be finite and >= 0");
        }
        if (weighting == null) {
            throw new IllegalArgumentException("[item_weighting] must be uniform or log_count");
        }
    }

    /** Chosen on a carve-out of P2's training items (see docs/projection.md). */
    public static ProjectionParams defaults() {
        return new ProjectionParams(1f, ItemWeighting.LOG_COUNT);
    }
}

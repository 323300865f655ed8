package org.recsys.core.melu;

/**
 * One user as a meta-learning task: the support ratings adapt the decision layers, the query ratings score the
 * adapted model. Items are catalogue indices.
 */
public record MetaTask(EncodedFeatures user, int[] supportItems, float[] supportRatings, int[] queryItems, float[] queryRatings) {

    public MetaTask {
        if (supportItems.length != supportRatings.length || queryItems.length != queryRatings.length) {
            throw new IllegalArgumentException("items and ratings of a task must have the same lengths");
        }
    }
}

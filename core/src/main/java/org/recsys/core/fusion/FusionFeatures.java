package org.recsys.core.fusion;

import org.apache.lucene.util.VectorUtil;
import org.recsys.core.vector.VectorSimilarity;

import java.util.List;

/** How each {@link FusionFeature} is computed from vectors and counts. */
public final class FusionFeatures {

    private FusionFeatures() {}

    public static double collaborative(float[] userFactor, float[] itemFactor) {
        return VectorUtil.dotProduct(userFactor, itemFactor);
    }

    /** @param unitProfile a profile from {@link #contentProfile}, or null when the user has none */
    public static double content(float[] unitProfile, float[] itemText) {
        return unitProfile == null || itemText == null ? 0d : VectorSimilarity.COSINE.score(unitProfile, itemText);
    }

    /** Counts span orders of magnitude; the log keeps one blockbuster from drowning every other feature. */
    public static double popularity(double interactionCount) {
        return Math.log1p(Math.max(0d, interactionCount));
    }

    /**
     * The user's content profile: the mean of the text vectors of their items, at unit length, so that
     * {@link #content} is a cosine; null when no vector is given or the mean is zero.
     */
    public static float[] contentProfile(List<float[]> itemTexts) {
        if (itemTexts.isEmpty()) {
            return null;
        }
        int dims = itemTexts.get(0).length;
        float[] mean = new float[dims];
        for (float[] v : itemTexts) {
            if (v.length != dims) {
                throw new IllegalArgumentException(
                    "text vectors of the user's items have [" + dims + "] and [" + v.length + "] dimensions"
                );
            }
            for (int d = 0; d < dims; d++) {
                mean[d] += v[d];
            }
        }
        return unit(mean);
    }

    /** The vector scaled to unit length (in place), or null when it is zero. */
    public static float[] unit(float[] vector) {
        double norm = Math.sqrt(VectorUtil.dotProduct(vector, vector));
        if (norm == 0d) {
            return null;
        }
        for (int d = 0; d < vector.length; d++) {
            vector[d] = (float) (vector[d] / norm);
        }
        return vector;
    }

    /**
     * The strictly increasing map from a raw fused value onto positive scores that Elasticsearch applies to
     * {@code max_inner_product}: {@code 1 + x} for x &ge; 0, {@code 1 / (1 - x)} below. Continuous with slope 1 at 0, so the
     * ranking is the raw value's and non-negative values read as themselves plus one.
     */
    public static double nonNegative(double raw) {
        return raw >= 0 ? 1d + raw : 1d / (1d - raw);
    }
}

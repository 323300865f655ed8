package org.recsys.core.vector;

import org.apache.lucene.util.VectorUtil;
import org.recsys.core.util.EnumIds;

/**
 * How a query vector is compared with a document vector. Scores are the raw similarity, with no rescaling:
 * a dot product is unbounded, a cosine lies in [-1, 1].
 */
public enum VectorSimilarity {
    DOT_PRODUCT {
        @Override
        public float score(float[] query, float[] doc) {
            return VectorUtil.dotProduct(query, doc);
        }
    },
    COSINE {
        @Override
        public float score(float[] query, float[] doc) {
            float squaredNorm = VectorUtil.dotProduct(doc, doc);
            // A zero document vector has no direction; it is as far from every query as an orthogonal one.
            return squaredNorm == 0f ? 0f : (float) (VectorUtil.dotProduct(query, doc) / Math.sqrt(squaredNorm));
        }

        @Override
        public float[] prepareQuery(float[] query) {
            super.prepareQuery(query);
            float squaredNorm = VectorUtil.dotProduct(query, query);
            if (squaredNorm == 0f) {
                throw new IllegalArgumentException("a [cosine] query vector must not be all zeros");
            }
            float[] unit = query.clone();
            float inverseNorm = (float) (1 / Math.sqrt(squaredNorm));
            for (int i = 0; i < unit.length; i++) {
                unit[i] *= inverseNorm;
            }
            return unit;
        }
    };

    /** The similarity of a query made by {@link #prepareQuery} and a document vector of the same length. */
    public abstract float score(float[] preparedQuery, float[] doc);

    /**
     * Checks a query vector and returns it in the form {@link #score} takes (a cosine query is normalised once
     * here rather than per document). Throws {@link IllegalArgumentException} naming what makes it unusable.
     */
    public float[] prepareQuery(float[] query) {
        if (query.length == 0) {
            throw new IllegalArgumentException("the query vector is empty");
        }
        for (int i = 0; i < query.length; i++) {
            if (Float.isFinite(query[i]) == false) {
                throw new IllegalArgumentException(
                    "element [" + i + "] of the query vector is [" + query[i] + "]; every element must be finite"
                );
            }
        }
        return query;
    }

    /** The name used in requests: {@code dot_product} or {@code cosine}. */
    public String id() {
        return EnumIds.id(this);
    }

    public static VectorSimilarity fromId(String id) {
        return EnumIds.parse(VectorSimilarity.class, id, "similarity");
    }

    public static String ids() {
        return EnumIds.ids(VectorSimilarity.class);
    }
}

package org.recsys.core.vector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorSimilarityTest {

    @Test
    void dotProductIsTheRawInnerProduct() {
        assertEquals(1 * 4 - 2 * 5 + 3 * 6, VectorSimilarity.DOT_PRODUCT.score(new float[]{ 1, -2, 3 }, new float[]{ 4, 5, 6 }), 0f);
    }

    @Test
    void cosineIgnoresLengthAndSpansMinusOneToOne() {
        float[] q = VectorSimilarity.COSINE.prepareQuery(new float[]{ 3, 4 });
        assertEquals(1f, VectorSimilarity.COSINE.score(q, new float[]{ 30, 40 }), 1e-6f);
        assertEquals(-1f, VectorSimilarity.COSINE.score(q, new float[]{ -0.3f, -0.4f }), 1e-6f);
        assertEquals(0f, VectorSimilarity.COSINE.score(q, new float[]{ -4, 3 }), 1e-6f);
        assertEquals(0.6f, VectorSimilarity.COSINE.score(q, new float[]{ 1, 0 }), 1e-6f);
    }

    @Test
    void cosineOfAZeroDocumentVectorIsZeroNotNaN() {
        assertEquals(0f, VectorSimilarity.COSINE.score(VectorSimilarity.COSINE.prepareQuery(new float[]{ 1, 2 }), new float[]{ 0, 0 }), 0f);
    }

    @Test
    void queriesWithNonFiniteElementsAreRejectedNamingTheElement() {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> VectorSimilarity.DOT_PRODUCT.prepareQuery(new float[]{ 1, Float.NaN }));
        assertTrue(e.getMessage().contains("element [1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VectorSimilarity.DOT_PRODUCT.prepareQuery(new float[0]));
    }

    @Test
    void zeroQueriesAreRejectedForCosineOnly() {
        assertArrayEquals(new float[]{ 0, 0 }, VectorSimilarity.DOT_PRODUCT.prepareQuery(new float[]{ 0, 0 }));
        assertThrows(IllegalArgumentException.class, () -> VectorSimilarity.COSINE.prepareQuery(new float[]{ 0, 0 }));
    }

    @Test
    void idsRoundTripAndUnknownIdsListTheKnownOnes() {
        for (VectorSimilarity s : VectorSimilarity.values()) {
            assertEquals(s, VectorSimilarity.fromId(s.id()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorSimilarity.fromId("l2"));
        assertTrue(e.getMessage().contains("[dot_product, cosine]"), e.getMessage());
    }
}

package org.recsys.core.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RatingMetricsTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    /** Figures computed by hand as shared/tools/evaluate.py rating does (ties keep the query order). */
    @Test
    void maeAndNdcgAsTheReferenceScorer() {
        List<Rating> query = List.of(
            new Rating("u1", "a", 5, 0),
            new Rating("u1", "b", 3, 0),
            new Rating("u1", "c", 1, 0),
            new Rating("u2", "a", 2, 0),
            new Rating("u2", "b", 4, 0)
        );
        // u1 ranks b, a, c; u2 ties both at 3 and keeps the query order a, b.
        float[] predicted = { 4, 4.5f, 1, 3, 3 };
        RatingMetrics.Result r = RatingMetrics.evaluate(query, predicted);
        assertEquals((1 + 1.5 + 0 + 1 + 1) / 5, r.mae(), 1e-9);
        double u1ndcg1 = 7.0 / 31;
        double u1ndcg3 = (7 + 31 / LOG2_3 + 1 / 2.0) / (31 + 7 / LOG2_3 + 1 / 2.0);
        double u2ndcg1 = 3.0 / 15;
        double u2ndcg3 = (3 + 15 / LOG2_3) / (15 + 3 / LOG2_3);
        assertEquals((u1ndcg1 + u2ndcg1) / 2, r.ndcg1(), 1e-9);
        assertEquals((u1ndcg3 + u2ndcg3) / 2, r.ndcg3(), 1e-9);
        assertEquals(2, r.users());
    }
}

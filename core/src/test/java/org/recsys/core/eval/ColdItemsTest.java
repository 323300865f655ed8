package org.recsys.core.eval;

import org.junit.jupiter.api.Test;
import org.recsys.core.projection.Projection;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColdItemsTest {

    /** Two tastes; items of a taste share a text direction, and users interact with one taste's items. */
    private static final int USERS = 40, ITEMS = 30, DIMS = 8;

    private static List<Rating> interactions() {
        SplittableRandom random = new SplittableRandom(11);
        List<Rating> rows = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            for (int i = 0; i < ITEMS; i++) {
                if (i % 2 == u % 2 && random.nextDouble() < 0.6) {
                    rows.add(new Rating("u" + u, "i" + i, 1f, 0));
                }
            }
        }
        return rows;
    }

    private static Map<String, float[]> texts() {
        SplittableRandom random = new SplittableRandom(13);
        Map<String, float[]> texts = new HashMap<>();
        for (int i = 0; i < ITEMS + 2; i++) {
            float[] t = new float[DIMS];
            t[i % 2] = 1f;
            for (int d = 2; d < DIMS; d++) {
                t[d] = (float) (0.3 * random.nextGaussian());
            }
            float norm = 0;
            for (float v : t) {
                norm += v * v;
            }
            for (int d = 0; d < DIMS; d++) {
                t[d] /= (float) Math.sqrt(norm);
            }
            texts.put("i" + i, t);
        }
        return texts;
    }

    @Test
    void coldItemsOfAUsersTasteRankFirst() {
        List<Rating> train = interactions();
        WalsModel model = WalsRecommendations.train(train, Weighting.BINARY, WalsParams.builder().rank(4).lambda(1f).threads(1).build());
        ColdItems cold = new ColdItems(texts());
        Projection projection = cold.fit(model, train, ProjectionParams.defaults());
        // i30 shares even users' text direction, i31 odd users'.
        List<String> candidates = List.of("i30", "i31");
        Map<String, List<String>> byProjection = cold.byProjection(model, projection, candidates, Set.of("u0", "u1"), 1);
        assertEquals(List.of("i30"), byProjection.get("u0"));
        assertEquals(List.of("i31"), byProjection.get("u1"));
        Map<String, List<String>> byContent = cold.byContent(train, candidates, Set.of("u0", "u1"), 1);
        assertEquals(List.of("i30"), byContent.get("u0"));
        assertEquals(List.of("i31"), byContent.get("u1"));
        Map<String, List<String>> random = ColdItems.random(candidates, Set.of("u0"), 2, 1);
        assertTrue(random.get("u0").containsAll(candidates));
    }
}

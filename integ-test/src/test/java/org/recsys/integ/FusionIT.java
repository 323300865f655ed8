package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code recsys} rescorer on a real node, over a small model trained in the node: a {@code knn} section on the
 * served factor field (query vector: the stored user factor) feeds the window; the fused score with weight 1 on the
 * collaborative feature reproduces the knn order with scores 1 + dot; weight on popularity reorders by the count
 * field; explain lists every feature; bad requests are 4xx naming the problem.
 */
@ExtendWith(NodeLogOnFailure.class)
class FusionIT {

    private static final TestNode NODE = TestNode.get();
    private static final String INTERACTIONS = "fusion-it-interactions";
    private static final String ITEMS = "fusion-it-items";
    private static final String USERS = "fusion-it-users";
    private static final String MODEL = "fusion-it";
    private static final String FIELD = MODEL + "_factor_a";

    @BeforeAll
    static void train() {
        cleanUp();
        NODE.ok("PUT", "/" + INTERACTIONS, "{\"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}}}}");
        NODE.ok("PUT", "/" + ITEMS, "{\"mappings\": {\"properties\": {\"count\": {\"type\": \"long\"}}}}");
        StringBuilder bulk = new StringBuilder();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            // Item i has 12 - i users, so popularity and the factors' order differ for most users.
            for (int u = 0; u < 12 - i; u++) {
                bulk.append("{\"index\": {}}\n{\"user_id\": \"u").append(u).append("\", \"item_id\": \"i").append(i).append("\"}\n");
            }
            items.append("{\"index\": {\"_id\": \"i").append(i).append("\"}}\n{\"count\": ").append(i == 11 ? 1000 : 12 - i).append("}\n");
        }
        NODE.ok("POST", "/" + INTERACTIONS + "/_bulk?refresh=true", bulk.toString());
        NODE.ok("POST", "/" + ITEMS + "/_bulk?refresh=true", items.toString());
        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train", """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "params": {"rank": 4, "iterations": 5, "threads": 1}}""".formatted(INTERACTIONS, ITEMS, USERS));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        NODE.ok("POST", "/" + ITEMS + "/_refresh");
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        for (String index : List.of(INTERACTIONS, ITEMS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
    }

    private static String userVector(String user) {
        return NODE.ok("GET", "/" + USERS + "/_doc/" + user).path("_source").path(FIELD).toString();
    }

    private static String search(String user, String weights, int window, int size, boolean explain) {
        return """
            {"size": %d, "explain": %b,
             "knn": {"field": "%s", "query_vector": %s, "k": 12, "num_candidates": 12},
             "rescore": {"window_size": %d, "recsys": {"model": "%s", "user": {"id": "%s"}, "weights": %s, "popularity_field": "count"}}}"""
            .formatted(size, explain, FIELD, userVector(user), window, MODEL, user, weights);
    }

    private static List<String> ids(JsonNode hits) {
        List<String> ids = new ArrayList<>();
        hits.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    @Test
    void collaborativeWeightKeepsTheKnnOrderAndPopularityReorders() {
        String knnOnly = """
            {"size": 12, "knn": {"field": "%s", "query_vector": %s, "k": 12, "num_candidates": 12}}""".formatted(FIELD, userVector("u3"));
        JsonNode knn = NODE.ok("POST", "/" + ITEMS + "/_search", knnOnly);
        JsonNode fused = NODE.ok("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0, 0, 0]", 12, 12, false));
        assertEquals(ids(knn), ids(fused));
        for (int i = 0; i < 12; i++) {
            // knn's max_inner_product score and the fused score use the same positive map of the same dot product.
            assertEquals(knn.path("hits").path("hits").get(i).path("_score").asDouble(), fused.path("hits").path("hits").get(i).path("_score").asDouble(), 1e-4);
        }
        JsonNode popular = NODE.ok("POST", "/" + ITEMS + "/_search", search("u3", "[0, 0, 1, 0]", 12, 12, false));
        List<String> expected = new ArrayList<>(List.of("i11"));
        for (int i = 0; i < 11; i++) {
            expected.add("i" + i);
        }
        assertEquals(expected, ids(popular));
        assertEquals(1 + Math.log1p(1000), popular.path("hits").path("hits").get(0).path("_score").asDouble(), 1e-4);
    }

    @Test
    void explainShowsEveryFeature() {
        JsonNode hit = NODE.ok("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0, 0.5, 0]", 12, 3, true)).path("hits").path("hits").get(0);
        String explanation = hit.path("_explanation").toString();
        for (String feature : List.of("collaborative", "content", "popularity", "first_phase")) {
            assertTrue(explanation.contains("contribution of [" + feature + "]"), explanation);
        }
        assertEquals(hit.path("_score").asDouble(), hit.path("_explanation").path("value").asDouble(), 1e-4);
    }

    @Test
    void badRequestsAreClear4xx() {
        TestNode.Reply wrongLength = NODE.call("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0]", 12, 5, false));
        assertEquals(400, wrongLength.status(), wrongLength::text);
        assertTrue(wrongLength.text().contains("[weights] has 2 numbers; expected 4"), wrongLength::text);

        TestNode.Reply smallWindow = NODE.call("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0, 0, 0]", 3, 5, false));
        assertEquals(400, smallWindow.status(), smallWindow::text);
        assertTrue(smallWindow.text().contains("[window_size] is [3]"), smallWindow::text);

        String unknownModel = search("u3", "[1, 0, 0, 0]", 12, 5, false).replace("\"model\": \"" + MODEL + "\"", "\"model\": \"no-such-model\"");
        TestNode.Reply noModel = NODE.call("POST", "/" + ITEMS + "/_search", unknownModel);
        assertEquals(404, noModel.status(), noModel::text);

        String unknownUser = search("u3", "[1, 0, 0, 0]", 12, 5, false).replace("\"user\": {\"id\": \"u3\"}", "\"user\": {\"id\": \"nobody\"}");
        TestNode.Reply noUser = NODE.call("POST", "/" + ITEMS + "/_search", unknownUser);
        assertEquals(404, noUser.status(), noUser::text);
        assertTrue(noUser.text().contains("send the user's [history]"), noUser::text);

        String emptyHistory = search("u3", "[1, 0, 0, 0]", 12, 5, false).replace("\"user\": {\"id\": \"u3\"}", "\"user\": {\"history\": []}");
        TestNode.Reply empty = NODE.call("POST", "/" + ITEMS + "/_search", emptyHistory);
        assertEquals(400, empty.status(), empty::text);
    }
}

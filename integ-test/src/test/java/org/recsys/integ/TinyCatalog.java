package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The catalogue of {@code scripts/fixtures/store_format_1.sh}: 12 items, 10 users with two tastes (u0-u4 read items
 * i0-i5, u5-u9 items i6-i11, each skipping one item of their side), and the tiny WALS model {@code fx} over it.
 */
final class TinyCatalog {

    static final String MODEL = "fx";
    static final String TRAIN = """
        {"interactions": {"index": "fx-interactions"}, "items": {"index": "fx-items"}, "users": {"index": "fx-users"},
         "params": {"rank": 4, "iterations": 10, "lambda": 0.1, "alpha": 20, "threads": 1}}""";

    private TinyCatalog() {}

    /** Indexes the catalogue and trains {@code fx}; answers the trained version's summary. */
    static JsonNode loadAndTrain(TestNode node) {
        node.ok(
            "PUT",
            "/fx-interactions",
            "{\"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}}}}"
        );
        node.ok("PUT", "/fx-items", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"keyword\"}}}}");
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            items.append("{\"index\": {\"_id\": \"i").append(i).append("\"}}\n{\"title\": \"item ").append(i).append("\"}\n");
        }
        bulk(node, "fx-items", items.toString());
        StringBuilder reads = new StringBuilder();
        for (int u = 0; u < 10; u++) {
            int base = u < 5 ? 0 : 6;
            for (int j = 0; j < 6; j++) {
                if (j != u % 6) {
                    reads.append("{\"index\": {}}\n{\"user_id\": \"u")
                        .append(u)
                        .append("\", \"item_id\": \"i")
                        .append(base + j)
                        .append("\"}\n");
                }
            }
        }
        bulk(node, "fx-interactions", reads.toString());
        JsonNode trained = node.ok("POST", "/_recsys/models/" + MODEL + "/_train", TRAIN);
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        node.ok("POST", "/fx-items,fx-users/_refresh");
        return trained;
    }

    /** The ids of u0's top 5 from {@code _recommend}. */
    static List<String> recommendIds(TestNode node) {
        List<String> ids = new ArrayList<>();
        recommend(node).path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    static JsonNode recommend(TestNode node) {
        return node.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", "{\"user\": {\"id\": \"u0\"}, \"k\": 5}");
    }

    private static void bulk(TestNode node, String index, String body) {
        JsonNode r = node.ok("POST", "/" + index + "/_bulk?refresh=true", body);
        assertEquals(false, r.path("errors").asBoolean(), r::toString);
    }
}

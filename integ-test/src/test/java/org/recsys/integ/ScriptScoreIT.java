package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code script_score} with {@code "lang": "recsys"} over HTTP: exact scores, order and a 400 for a wrong dimension. */
@ExtendWith(NodeLogOnFailure.class)
class ScriptScoreIT {

    private static final String INDEX = "script-score-it";
    private static final TestNode NODE = TestNode.get();

    @BeforeAll
    static void indexItems() {
        NODE.call("DELETE", "/" + INDEX);
        NODE.ok("PUT", "/" + INDEX, """
            {"mappings": {"properties": {
              "factor": {"type": "dense_vector", "dims": 3, "index": true, "similarity": "max_inner_product"}
            }}}""");
        NODE.ok("POST", "/" + INDEX + "/_bulk?refresh=true", """
            {"index": {"_id": "a"}}
            {"factor": [1.0, 2.0, 3.0]}
            {"index": {"_id": "b"}}
            {"factor": [3.0, 0.0, 1.0]}
            {"index": {"_id": "c"}}
            {"factor": [0.5, 0.5, 0.0]}
            {"index": {"_id": "d"}}
            {"title": "no factor"}
            """);
    }

    @AfterAll
    static void deleteItems() {
        NODE.call("DELETE", "/" + INDEX);
    }

    private static Map<String, Double> scores(String function, String queryVector, double offset) {
        JsonNode hits = NODE.ok("POST", "/" + INDEX + "/_search", String.format(Locale.ROOT, """
            {"query": {"script_score": {"query": {"match_all": {}},
              "script": {"lang": "recsys", "source": "%s", "params": {"field": "factor", "query_vector": %s, "offset": %s}}}}}
            """, function, queryVector, offset)).path("hits").path("hits");
        Map<String, Double> scores = new LinkedHashMap<>();
        hits.forEach(hit -> scores.put(hit.path("_id").asText(), hit.path("_score").asDouble()));
        return scores;
    }

    @Test
    void dotProductOrdersByExactScores() {
        Map<String, Double> scores = scores("dot_product", "[2, -1, 0.5]", 0);
        assertEquals(List.of("b", "a", "c", "d"), List.copyOf(scores.keySet()), scores.toString());
        assertEquals(6.5, scores.get("b"), 1e-6);
        assertEquals(1.5, scores.get("a"), 1e-6);
        assertEquals(0.5, scores.get("c"), 1e-6);
        assertEquals(0.0, scores.get("d"), 0.0);
    }

    @Test
    void cosineOrdersByAngleWithOffset() {
        Map<String, Double> scores = scores("cosine", "[1, 1, 0]", 1);
        assertEquals(List.of("c", "b", "a", "d"), List.copyOf(scores.keySet()), scores.toString());
        assertEquals(2.0, scores.get("c"), 1e-6);
        assertEquals(1 + 3 / (Math.sqrt(2) * Math.sqrt(10)), scores.get("b"), 1e-6);
        assertEquals(1 + 3 / (Math.sqrt(2) * Math.sqrt(14)), scores.get("a"), 1e-6);
        assertEquals(0.0, scores.get("d"), 0.0);
    }

    @Test
    void wrongDimensionIsA400NamingFieldAndBothDimensions() {
        TestNode.Reply reply = NODE.call("POST", "/" + INDEX + "/_search", """
            {"query": {"script_score": {"query": {"match_all": {}},
              "script": {"lang": "recsys", "source": "dot_product", "params": {"field": "factor", "query_vector": [1, 2]}}}}}""");
        assertEquals(400, reply.status(), reply.text());
        assertTrue(reply.text().contains("field [factor] has [3] dimensions but [query_vector] has [2]"), reply.text());
    }
}

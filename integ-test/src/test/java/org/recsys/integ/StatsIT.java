package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET _recsys/_stats} on two nodes: each node answers for itself, whichever node is asked: the documents
 * its pipelines encoded and the texts its full queue refused (an encoder queue of 4 texts), the model it serves
 * and its memory, the training it ran.
 */
class StatsIT {

    @AutoClose
    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new LocalCluster(
            Path.of(System.getProperty("tests.cluster.dir")).resolve("stats"),
            List.of("stats-a", "stats-b"),
            Map.of(
                "stats-a",
                List.of("recsys.inference.queue_size=4"),
                // One worker taking one text per pass: 64 documents arriving at once overflow a queue of 4 on any machine.
                "stats-b",
                List.of("recsys.inference.queue_size=4", "recsys.inference.drain_size=1", "thread_pool.recsys_inference.size=1")
            )
        );
        cluster.start(true);
    }

    @Test
    void eachNodeAnswersForItself() {
        TestNode a = cluster.node(0);
        TestNode b = cluster.node(1);
        assertEquals(2, a.ok("GET", "/_cluster/health?wait_for_nodes=2").path("number_of_nodes").asInt());
        a.ok("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        a.ok("PUT", "/_ingest/pipeline/titles", """
            {"processors": [{"text_vector": {"fields": ["title"], "target_field": "title_vector", "encoder": "minilm"}}]}""");
        // Through node a one at a time: 3 documents, never more than the queue holds.
        for (int i = 0; i < 3; i++) {
            a.ok("PUT", "/titles/_doc/a" + i + "?pipeline=titles", "{\"title\": \"film " + i + "\"}");
        }
        // Through node b 64 at once: the queue of 4 refuses most of them, each with a 429.
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            bulk.append("{\"index\": {\"_id\": \"b")
                .append(i)
                .append("\"}}\n{\"title\": \"a longer film title number ")
                .append(i)
                .append("\"}\n");
        }
        JsonNode bulked = b.ok("POST", "/titles/_bulk?pipeline=titles", bulk.toString());
        long refused = 0;
        long encoded = 0;
        for (JsonNode item : bulked.path("items")) {
            int status = item.path("index").path("status").asInt();
            assertTrue(status == 201 || status == 429, item::toString);
            refused += status == 429 ? 1 : 0;
            encoded += status == 201 ? 1 : 0;
        }
        assertTrue(refused > 0, bulked::toString);

        TinyCatalog.loadAndTrain(a);
        TinyCatalog.recommend(a);
        TinyCatalog.recommend(b);

        for (TestNode asked : List.of(a, b)) {
            JsonNode stats = asked.ok("GET", "/_recsys/_stats");
            assertEquals(2, stats.path("_nodes").path("successful").asInt(), stats::toString);
            JsonNode onA = byName(stats, "stats-a");
            JsonNode onB = byName(stats, "stats-b");
            assertEquals(3, onA.path("encoders").path("minilm").path("documents").asLong(), onA::toString);
            assertEquals(0, onA.path("encoders").path("minilm").path("rejected").asLong(), onA::toString);
            assertEquals(encoded, onB.path("encoders").path("minilm").path("documents").asLong(), onB::toString);
            assertEquals(refused, onB.path("encoders").path("minilm").path("rejected").asLong(), onB::toString);
            assertEquals(0, onB.path("encoders").path("minilm").path("queued").asInt(), onB::toString);
            assertTrue(onA.path("encoders").path("minilm").path("model_bytes").asLong() > 80_000_000L, onA::toString);
            for (JsonNode node : List.of(onA, onB)) {
                JsonNode fx = node.path("models").path("fx");
                assertEquals("wals", fx.path("type").asText(), node::toString);
                assertEquals(1, fx.path("version").asLong(), node::toString);
                // Rank 4: the items' 4x4 Gram matrix of doubles.
                assertEquals(128, fx.path("memory_bytes").asLong(), node::toString);
                assertEquals(0, node.path("trainings").path("running").asLong(), node::toString);
            }
            assertEquals(1, onA.path("trainings").path("finished").asLong(), onA::toString);
            assertEquals(0, onB.path("trainings").path("finished").asLong(), onB::toString);
        }
        JsonNode local = b.ok("GET", "/_recsys/_stats/_local").path("nodes");
        assertEquals(1, local.size(), local::toString);
        assertEquals("stats-b", local.elements().next().path("name").asText());
        JsonNode encoders = b.ok("GET", "/_recsys/encoders/_stats");
        assertEquals("stats-b", encoders.path("node").asText(), encoders::toString);
        assertEquals(refused, encoders.path("encoders").path("minilm").path("rejected").asLong(), encoders::toString);
        assertFalse(b.ok("GET", "/_recsys/_stats/stats-a").path("nodes").elements().next().path("models").isEmpty());
    }

    private static JsonNode byName(JsonNode stats, String name) {
        for (JsonNode node : stats.path("nodes")) {
            if (name.equals(node.path("name").asText())) {
                return node;
            }
        }
        throw new AssertionError("no node [" + name + "] in " + stats);
    }
}

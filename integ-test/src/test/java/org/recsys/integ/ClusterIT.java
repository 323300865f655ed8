package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on loopback: a model trained through one is served by both, and the model store, the factors and a
 * pipeline naming an encoder survive a restart of the whole cluster.
 */
class ClusterIT {

    @AutoClose
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        // Node a may not train: a training it receives runs on node b.
        cluster = new LocalCluster(
            Path.of(System.getProperty("tests.cluster.dir")),
            List.of("node-a", "node-b"),
            Map.of("node-a", List.of("recsys.training.enabled=false"))
        );
        cluster.start(true);
    }

    @Test
    void trainedOnTheNodeThatMayTrainServedByBothAndKeptAcrossARestart() {
        TestNode a = cluster.node(0);
        TestNode b = cluster.node(1);
        assertEquals(2, a.ok("GET", "/_cluster/health?wait_for_nodes=2").path("number_of_nodes").asInt());
        MovieLens.loadInteractions(a, "interactions", MovieLens.SPLITS.resolve("p1_train.tsv"));
        MovieLens.loadItems(a, "movies");
        a.ok("PUT", "/movies/_settings", "{\"index\": {\"number_of_replicas\": 1}}");

        JsonNode trained = a.ok("POST", "/_recsys/models/ml/_train", """
            {"interactions": {"index": "interactions"}, "items": {"index": "movies"}, "users": {"index": "users"},
             "params": {"iterations": 5}}""");
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        assertEquals("node-b", trained.path("metrics").path("node").asText(), "node a may not train, yet it did");
        a.ok("GET", "/_cluster/health?wait_for_status=green&timeout=60s");

        JsonNode fromA = served(a);
        JsonNode fromB = served(b);
        assertEquals(fromA, fromB);
        assertEquals(1, fromB.path("version").asInt());
        List<String> topFromA = top(a, fromA, "1");
        assertEquals(topFromA, top(b, fromB, "1"), "both nodes rank the same items for user 1");
        // The store is replicated: node b holds a copy of it.
        String shards = b.ok("GET", "/_cat/shards/.recsys-models?h=node,state").asText();
        assertTrue(shards.contains("node-a") && shards.contains("node-b"), shards);

        // A pipeline that names an encoder must load again when the nodes restart (the registry learns the
        // registrations before the ingest service builds pipelines).
        a.ok("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        a.ok("PUT", "/_ingest/pipeline/titles", """
            {"processors": [{"text_vector": {"fields": ["title"], "target_field": "title_vector", "encoder": "minilm"}}]}""");

        cluster.stop();
        cluster.start(false);
        TestNode afterA = cluster.node(0);
        TestNode afterB = cluster.node(1);
        afterA.ok("GET", "/_cluster/health?wait_for_nodes=2&wait_for_status=green&timeout=60s");
        assertEquals(fromA, served(afterB), "the model store lost the served version in a restart");
        assertEquals(topFromA, top(afterB, served(afterB), "1"), "the factors changed in a restart");
        JsonNode indexed = afterB.ok("PUT", "/titles/_doc/1?pipeline=titles&refresh=true", "{\"title\": \"Star Wars\"}");
        assertEquals("created", indexed.path("result").asText(), indexed::toString);
        assertEquals(384, afterA.ok("GET", "/titles/_doc/1").path("_source").path("title_vector").size());
        JsonNode evaluated = afterA.ok("POST", "/_recsys/models/ml/_evaluate", "{\"interactions\": {\"index\": \"interactions\"}}");
        assertEquals(943, evaluated.path("users").asInt(), evaluated::toString);
    }

    private static JsonNode served(TestNode node) {
        return node.ok("GET", "/_recsys/models/ml").path("models").get(0).path("served");
    }

    /** A user's top 10 by an exact scan of the served factors, read from the node asked. */
    private static List<String> top(TestNode node, JsonNode served, String user) {
        JsonNode factor = node.ok("GET", "/users/_doc/" + user).path("_source").path(served.path("user_field").asText());
        JsonNode hits = node.ok(
            "GET",
            "/movies/_search?preference=_local",
            String.format(
                Locale.ROOT,
                """
                    {"size": 10, "_source": false, "query": {"script_score": {"query": {"match_all": {}},
                     "script": {"lang": "recsys", "source": "dot_product", "params": {"field": "%s", "query_vector": %s, "offset": 100}}}}}""",
                served.path("item_field").asText(),
                factor
            )
        ).path("hits").path("hits");
        return hits.findValuesAsText("_id");
    }
}

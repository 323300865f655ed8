package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model store is the {@code recsys} feature state: a snapshot with {@code feature_states: ["recsys"]} holds it,
 * and restoring that feature state brings a deleted model back serving as before.
 */
class SnapshotIT {

    @AutoClose
    private static LocalCluster cluster;
    private static Path repo;

    @BeforeAll
    static void start() {
        Path dir = Path.of(System.getProperty("tests.cluster.dir")).resolve("snapshot");
        repo = LocalCluster.emptyDirectory(dir.resolve("repo"));
        cluster = new LocalCluster(dir, List.of("snapshot"), Map.of("snapshot", List.of("path.repo=" + repo)));
        cluster.start(true);
    }

    @Test
    void aRestoredFeatureStateServesTheDeletedModelAsBefore() {
        TestNode node = cluster.node(0);
        LocalCluster.withoutReplicas(node);
        TinyCatalog.loadAndTrain(node);
        JsonNode before = TinyCatalog.recommend(node);

        JsonNode features = node.ok("GET", "/_features");
        assertTrue(features.toString().contains("\"name\":\"recsys\""), features::toString);
        node.ok("PUT", "/_snapshot/backups", "{\"type\": \"fs\", \"settings\": {\"location\": \"" + repo + "\"}}");
        JsonNode snapshot = node.ok("PUT", "/_snapshot/backups/models?wait_for_completion=true", """
            {"indices": "-*", "include_global_state": false, "feature_states": ["recsys"]}""");
        assertEquals("SUCCESS", snapshot.path("snapshot").path("state").asText(), snapshot::toString);
        assertEquals(List.of(".recsys-models"), indices(snapshot.path("snapshot").path("feature_states").get(0)), snapshot::toString);

        node.ok("DELETE", "/_recsys/models/fx");
        assertEquals(404, node.call("POST", "/_recsys/models/fx/_recommend", "{\"user\": {\"id\": \"u0\"}, \"k\": 5}").status());

        JsonNode restored = node.ok("POST", "/_snapshot/backups/models/_restore?wait_for_completion=true", """
            {"indices": "-*", "include_global_state": false, "feature_states": ["recsys"]}""");
        assertEquals(0, restored.path("snapshot").path("shards").path("failed").asInt(), restored::toString);
        node.ok("GET", "/_cluster/health?wait_for_status=green&timeout=60s");
        assertEquals(before, TinyCatalog.recommend(node), "the restored model answers as before");
    }

    private static List<String> indices(JsonNode featureState) {
        return List.of(TestNode.JSON.convertValue(featureState.path("indices"), String[].class));
    }
}

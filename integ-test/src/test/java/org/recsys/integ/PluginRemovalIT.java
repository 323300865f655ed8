package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that holds an encoder registration, a pipeline naming it and a trained model starts after
 * {@code elasticsearch-plugin remove recsys} (its data readable, the cluster green), and takes the plugin back:
 * the model store serves as before, the registration and the pipeline naming it are made again (docs/operations.md).
 */
class PluginRemovalIT {

    @AutoClose
    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new LocalCluster(Path.of(System.getProperty("tests.cluster.dir")).resolve("removal"), List.of("removal"));
        cluster.start(true);
    }

    @Test
    void aNodeStartsWithoutThePluginAndTakesItBack() throws IOException {
        TestNode node = cluster.node(0);
        LocalCluster.withoutReplicas(node);
        node.ok("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        node.ok("PUT", "/_ingest/pipeline/titles", """
            {"processors": [{"text_vector": {"fields": ["title"], "target_field": "title_vector", "encoder": "minilm"}}]}""");
        node.ok("PUT", "/titles/_doc/1?pipeline=titles&refresh=true", "{\"title\": \"Star Wars\"}");
        TinyCatalog.loadAndTrain(node);
        List<String> before = TinyCatalog.recommendIds(node);
        assertEquals("i0", before.get(0), before::toString);

        cluster.stop();
        String removed = cluster.runInHome(0, "bin/elasticsearch-plugin", "remove", "recsys");
        assertTrue(removed.contains("removing [recsys]"), removed);
        cluster.start(false, false);
        TestNode without = cluster.node(0);
        JsonNode health = without.ok("GET", "/_cluster/health?wait_for_status=green&timeout=60s");
        assertEquals("green", health.path("status").asText(), health::toString);
        // No plugin: _cat/plugins answers an empty body.
        assertFalse(without.call("GET", "/_cat/plugins").text().contains("recsys"));
        // Elasticsearch skipped the registrations it can no longer parse; everything else is read as it was.
        assertTrue(Files.readString(without.log()).contains("Skipping unknown custom object with type recsys_encoders"));
        assertEquals(12, without.ok("GET", "/fx-items/_count").path("count").asInt());
        assertEquals(384, without.ok("GET", "/titles/_doc/1").path("_source").path("title_vector").size());
        // A pipeline naming the plugin's processor fails its documents; the node answers, and ingest without it works.
        TestNode.Reply viaPipeline = without.call("PUT", "/titles/_doc/2?pipeline=titles", "{\"title\": \"Fargo\"}");
        assertTrue(viaPipeline.status() >= 400 && viaPipeline.status() < 600, viaPipeline.text());
        assertTrue(viaPipeline.text().contains("text_vector"), viaPipeline.text());
        without.ok("PUT", "/titles/_doc/3?refresh=true", "{\"title\": \"Jedi\"}");

        cluster.stop();
        cluster.start(false, true);
        TestNode back = cluster.node(0);
        back.ok("GET", "/_cluster/health?wait_for_status=green&timeout=60s");
        assertEquals(before, TinyCatalog.recommendIds(back), "the model store serves as before the removal");
        assertEquals(
            0,
            back.ok("GET", "/_recsys/encoders").path("encoders").size(),
            "registrations do not outlive a start without the plugin"
        );
        back.ok("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        // The ingest service built the pipeline at start-up, when its encoder was unknown, and rebuilds it only when it
        // changes (putting the same pipeline again changes nothing): it is deleted and put again.
        TestNode.Reply stale = back.call("PUT", "/titles/_doc/2?pipeline=titles", "{\"title\": \"Fargo\"}");
        assertTrue(stale.text().contains("encoder [minilm] is not registered"), stale.text());
        back.ok("DELETE", "/_ingest/pipeline/titles");
        back.ok("PUT", "/_ingest/pipeline/titles", """
            {"processors": [{"text_vector": {"fields": ["title"], "target_field": "title_vector", "encoder": "minilm"}}]}""");
        back.ok("PUT", "/titles/_doc/2?pipeline=titles&refresh=true", "{\"title\": \"Fargo\"}");
        assertEquals(384, back.ok("GET", "/titles/_doc/2").path("_source").path("title_vector").size());
    }
}

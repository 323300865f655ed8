package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A model that an earlier plugin stored (store format 1, before formats were numbered: the snapshot fixture of
 * {@code scripts/fixtures/store_format_1.sh}) is served by this plugin as it was then, and the store takes new
 * versions (a version in a format this plugin does not know is refused: VersionRecordTests; REST cannot reach the
 * store to plant one).
 */
class StoreFormatIT {

    private static final String FIXTURE = "/store-format-1/";
    @AutoClose
    private static LocalCluster cluster;
    private static Path repo;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Path.of(System.getProperty("tests.cluster.dir")).resolve("store-format");
        repo = LocalCluster.emptyDirectory(dir.resolve("repo"));
        unzip(repo);
        cluster = new LocalCluster(dir, List.of("store-format"), Map.of("store-format", List.of("path.repo=" + repo)));
        cluster.start(true);
    }

    @Test
    void aFormatOneModelIsServedAsItWasAndTheStoreTakesNewVersions() throws IOException {
        TestNode node = cluster.node(0);
        node.ok(
            "PUT",
            "/_snapshot/fixture?verify=false",
            "{\"type\": \"fs\", \"settings\": {\"location\": \"" + repo + "\", \"readonly\": true}}"
        );
        JsonNode restored = node.ok(
            "POST",
            "/_snapshot/fixture/format-1/_restore?wait_for_completion=true",
            """
                {"indices": "fx-*", "include_global_state": false, "feature_states": ["recsys"], "index_settings": {"index.number_of_replicas": 0}}"""
        );
        assertEquals(0, restored.path("snapshot").path("shards").path("failed").asInt(), restored::toString);
        node.ok("GET", "/_cluster/health?wait_for_status=green&timeout=60s");
        JsonNode version = node.ok("GET", "/_recsys/models/fx").path("models").get(0).path("versions").get(0);
        assertEquals(1, version.path("store_format").asInt(), version::toString);

        JsonNode expected = TestNode.JSON.readTree(StoreFormatIT.class.getResourceAsStream(FIXTURE + "recommend.json"));
        JsonNode actual = TinyCatalog.recommend(node);
        assertEquals(expected.path("version").asInt(), actual.path("version").asInt(), actual::toString);
        assertEquals(expected.path("items").size(), actual.path("items").size(), actual::toString);
        for (int i = 0; i < expected.path("items").size(); i++) {
            JsonNode e = expected.path("items").get(i);
            JsonNode a = actual.path("items").get(i);
            assertEquals(e.path("id").asText(), a.path("id").asText(), actual::toString);
            assertEquals(e.path("score").asDouble(), a.path("score").asDouble(), 1e-6, actual::toString);
        }
        // The old store takes new versions, written in the current format: its mappings (version 1, strict, without
        // a format field) are brought up to date before the first write, or the version document would be refused.
        JsonNode trained = node.ok("POST", "/_recsys/models/fx/_train", TinyCatalog.TRAIN);
        assertEquals(2, trained.path("version").asInt(), trained::toString);
        assertEquals(1, node.ok("GET", "/_recsys/models/fx").path("models").get(0).path("versions").get(0).path("store_format").asInt());
        assertEquals(2, TinyCatalog.recommend(node).path("version").asInt());
    }

    /** The fixture's repository, readable by the node (which may run as another user). */
    private static void unzip(Path target) throws IOException {
        try (InputStream in = StoreFormatIT.class.getResourceAsStream(FIXTURE + "repo.zip"); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                Path out = target.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

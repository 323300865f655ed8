package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code skip_unchanged} on a real node: re-sending documents through {@code _bulk} encodes only those whose text
 * changed, and the others keep their stored vectors bit for bit. Uses its own encoder id, so that its counters are
 * its own.
 */
@ExtendWith(NodeLogOnFailure.class)
class SkipUnchangedTextIT {

    private static final TestNode NODE = TestNode.get();
    private static final String INDEX = "skip-unchanged-it";
    private static final String ENCODER = "minilm-skip";
    private static final int DOCS = 40;
    private static final List<ObjectNode> ITEMS = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        Path file = Path.of(System.getProperty("tests.shared.dir"), "datasets/ml-100k/items_text.jsonl");
        for (String line : Files.readAllLines(file).subList(0, DOCS)) {
            ITEMS.add((ObjectNode) TestNode.JSON.readTree(line));
        }
        NODE.ok("PUT", "/_recsys/encoders/" + ENCODER, "{\"path\": \"minilm\"}");
        NODE.ok("PUT", "/_ingest/pipeline/skip-it", String.format(Locale.ROOT, """
            {"processors": [{"text_vector": {"fields": ["title", "genres", "plot"], "target_field": "text_vector",
              "encoder": "%s", "skip_unchanged": true}}]}""", ENCODER));
        NODE.call("DELETE", "/" + INDEX);
        NODE.ok("PUT", "/" + INDEX, """
            {"mappings": {"properties": {
              "text_vector": {"type": "dense_vector", "dims": 384, "index": true, "similarity": "cosine"},
              "text_vector_hash": {"type": "keyword", "index": false, "doc_values": false}}}}""");
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/" + INDEX);
        NODE.call("DELETE", "/_ingest/pipeline/skip-it");
        NODE.call("DELETE", "/_recsys/encoders/" + ENCODER);
    }

    @Test
    void reSentDocumentsKeepTheirVectorsAndOnlyChangedTextIsEncoded() {
        long[] start = counters();
        bulk();
        long[] loaded = counters();
        assertEquals(DOCS, loaded[0] - start[0], "first load: every document is encoded");
        assertEquals(0, loaded[1] - start[1], "first load: nothing to skip");
        Map<String, JsonNode> vectors = vectors();
        JsonNode first = NODE.ok("GET", "/" + INDEX + "/_doc/" + id(0)).path("_source");
        assertTrue(first.path("text_vector_hash").asText().matches("[0-9a-f]{64}"), first.toString());

        bulk();
        long[] again = counters();
        assertEquals(0, again[0] - loaded[0], "the same documents again: nothing encoded");
        assertEquals(DOCS, again[1] - loaded[1], "the same documents again: all skipped");
        assertEquals(vectors, vectors(), "skipped documents keep their vectors exactly");

        ITEMS.get(7).put("plot", "A retired detective takes one last case in a city that never sleeps.");
        bulk();
        long[] changed = counters();
        assertEquals(1, changed[0] - again[0], "one changed text: one document encoded");
        assertEquals(DOCS - 1, changed[1] - again[1], "the others skipped");
        Map<String, JsonNode> after = vectors();
        assertNotEquals(vectors.get(id(7)), after.get(id(7)));
        after.remove(id(7));
        vectors.remove(id(7));
        assertEquals(vectors, after, "unchanged documents keep their vectors");
    }

    @Test
    void documentsWithGeneratedIdsAreEncoded() {
        long[] start = counters();
        NODE.ok("POST", "/" + INDEX + "-auto/_doc?pipeline=skip-it&refresh=true", ITEMS.get(0).toString());
        NODE.ok("POST", "/" + INDEX + "-auto/_doc?pipeline=skip-it&refresh=true", ITEMS.get(0).toString());
        long[] end = counters();
        assertEquals(2, end[0] - start[0], "no id, nothing to look up: both encoded");
        assertEquals(0, end[1] - start[1]);
        NODE.ok("DELETE", "/" + INDEX + "-auto");
    }

    private static void bulk() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            body.append("{\"index\": {\"_id\": \"").append(id(i)).append("\"}}\n").append(ITEMS.get(i)).append('\n');
        }
        JsonNode response = NODE.ok("POST", "/" + INDEX + "/_bulk?pipeline=skip-it&refresh=true", body.toString());
        assertEquals(false, response.path("errors").asBoolean(), response.toString());
    }

    private static String id(int i) {
        return ITEMS.get(i).path("item_id").asText();
    }

    /** This encoder's documents encoded and documents skipped, on the node. */
    private static long[] counters() {
        JsonNode stats = NODE.ok("GET", "/_recsys/encoders/_stats").path("encoders").path(ENCODER);
        return new long[]{ stats.path("documents").asLong(), stats.path("skipped").asLong() };
    }

    private static Map<String, JsonNode> vectors() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append(id(i)).append('"');
        }
        JsonNode docs = NODE.ok("POST", "/" + INDEX + "/_mget?_source=text_vector", "{\"ids\": [" + ids + "]}").path("docs");
        Map<String, JsonNode> vectors = new HashMap<>();
        docs.forEach(d -> vectors.put(d.path("_id").asText(), d.path("_source").path("text_vector")));
        assertEquals(DOCS, vectors.values().stream().filter(v -> v.size() == 384).count(), docs.toString().substring(0, 300));
        return vectors;
    }
}

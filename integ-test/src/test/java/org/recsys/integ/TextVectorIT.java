package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code text_vector} processor on a real node with the real all-MiniLM-L6-v2 snapshot (copied into the node's
 * {@code config/recsys-models/minilm} by the build): every MovieLens item through {@code _bulk}, neighbours that make
 * sense, and clear errors for everything a user can get wrong.
 */
@ExtendWith(NodeLogOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TextVectorIT {

    private static final TestNode NODE = TestNode.get();
    private static final String INDEX = "text-vector-it";
    private static final Path ITEMS = Path.of(System.getProperty("tests.shared.dir"), "datasets/ml-100k/items_text.jsonl");
    private static final List<JsonNode> CATALOG = new ArrayList<>();

    @BeforeAll
    static void registerAndIngest() throws IOException {
        for (String line : Files.readAllLines(ITEMS)) {
            CATALOG.add(TestNode.JSON.readTree(line));
        }
        NODE.ok("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        NODE.ok(
            "PUT",
            "/_ingest/pipeline/items-it",
            """
                {"processors": [{"text_vector": {"fields": ["title", "genres", "plot"], "target_field": "text_vector", "encoder": "minilm"}}]}"""
        );
        NODE.call("DELETE", "/" + INDEX);
        NODE.ok("PUT", "/" + INDEX, """
            {"mappings": {"properties": {"text_vector": {"type": "dense_vector", "dims": 384, "index": true, "similarity": "cosine"}}}}""");
        StringBuilder bulk = new StringBuilder();
        for (JsonNode item : CATALOG) {
            bulk.append("{\"index\": {\"_id\": \"").append(item.path("item_id").asText()).append("\"}}\n");
            bulk.append(item.toString()).append('\n');
        }
        JsonNode response = NODE.ok("POST", "/" + INDEX + "/_bulk?pipeline=items-it&refresh=true", bulk.toString());
        List<String> failed = new ArrayList<>();
        response.path("items").forEach(i -> {
            if (i.path("index").has("error")) {
                failed.add(i.path("index").path("_id").asText() + ": " + i.path("index").path("error"));
            }
        });
        assertTrue(failed.isEmpty(), () -> failed.size() + " documents failed, e.g. " + failed.subList(0, Math.min(3, failed.size())));
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/" + INDEX);
        NODE.call("DELETE", "/_ingest/pipeline/items-it");
    }

    @Test
    @Order(1)
    void everyItemHasAVectorOfTheModelsDimension() {
        JsonNode count = NODE.ok("GET", "/" + INDEX + "/_count", "{\"query\": {\"exists\": {\"field\": \"text_vector\"}}}");
        assertEquals(CATALOG.size(), count.path("count").asInt());
        JsonNode doc = NODE.ok("GET", "/" + INDEX + "/_doc/1");
        assertEquals(384, doc.path("_source").path("text_vector").size());
    }

    /**
     * The catalogue's bulk ran as concurrent batches on several inference workers (the build starts the node with
     * three); every document got exactly the vector its text gets alone, in a request of its own.
     */
    @Test
    @Order(2)
    void concurrentBatchesGiveEachDocumentTheVectorItGetsAlone() {
        for (int i = 0; i < CATALOG.size(); i += 41) {
            JsonNode item = CATALOG.get(i);
            String id = item.path("item_id").asText();
            JsonNode fromBulk = NODE.ok("GET", "/" + INDEX + "/_doc/" + id).path("_source").path("text_vector");
            JsonNode alone = NODE.ok("POST", "/_ingest/pipeline/items-it/_simulate", "{\"docs\": [{\"_source\": " + item + "}]}")
                .path("docs")
                .path(0)
                .path("doc")
                .path("_source")
                .path("text_vector");
            assertEquals(384, alone.size(), alone.toString());
            for (int d = 0; d < alone.size(); d++) {
                assertEquals(alone.path(d).asDouble(), fromBulk.path(d).asDouble(), 1e-5, "item " + id + ", dimension " + d);
            }
        }
    }

    @Test
    @Order(2)
    void starWarsHasItsSequelsAmongItsNearestItems() {
        String starWars = idOf("Star Wars (1977)");
        JsonNode vector = NODE.ok("GET", "/" + INDEX + "/_doc/" + starWars).path("_source").path("text_vector");
        JsonNode hits = NODE.ok("POST", "/" + INDEX + "/_search", String.format(Locale.ROOT, """
            {"size": 6, "_source": ["title"], "query": {"script_score": {"query": {"match_all": {}},
              "script": {"lang": "recsys", "source": "cosine", "params": {"field": "text_vector", "query_vector": %s, "offset": 1}}}}}
            """, vector)).path("hits").path("hits");
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.path("_id").asText()));
        assertEquals(starWars, ids.get(0), hits.toString());
        List<String> nearest5 = ids.subList(1, 6);
        assertTrue(
            nearest5.contains(idOf("Return of the Jedi (1983)")) || nearest5.contains(idOf("Empire Strikes Back, The (1980)")),
            "nearest to Star Wars: " + hits
        );
    }

    @Test
    @Order(3)
    void badDocumentsFailAloneWithClearErrorsAndHugeTextIsCut() {
        JsonNode docs = NODE.ok("POST", "/_ingest/pipeline/items-it/_simulate", String.format(Locale.ROOT, """
            {"docs": [
              {"_source": {"year": "1999"}},
              {"_source": {"title": 42}},
              {"_source": {"title": "", "plot": "  "}},
              {"_source": {"title": "%s"}},
              {"_source": {"title": "Fine"}}
            ]}""", "long text ".repeat(100_000))).path("docs");
        assertTrue(docs.get(0).toString().contains("are missing"), docs.get(0).toString());
        assertTrue(docs.get(1).toString().contains("cannot be encoded"), docs.get(1).toString());
        assertTrue(docs.get(2).toString().contains("only empty text"), docs.get(2).toString());
        assertEquals(384, docs.get(3).path("doc").path("_source").path("text_vector").size());
        assertEquals(384, docs.get(4).path("doc").path("_source").path("text_vector").size());

        NODE.ok("PUT", "/_ingest/pipeline/items-it-lenient", """
            {"processors": [{"text_vector": {"fields": "plot", "target_field": "v", "encoder": "minilm", "ignore_missing": true}}]}""");
        JsonNode lenient =
            NODE.ok("POST", "/_ingest/pipeline/items-it-lenient/_simulate", "{\"docs\": [{\"_source\": {\"title\": \"no plot\"}}]}");
        assertTrue(lenient.path("docs").get(0).path("doc").path("_source").has("v") == false, lenient.toString());
        NODE.ok("DELETE", "/_ingest/pipeline/items-it-lenient");
    }

    @Test
    @Order(4)
    void statsCountDocumentsAndTruncation() {
        JsonNode stats = NODE.ok("GET", "/_recsys/encoders/_stats").path("encoders").path("minilm");
        assertTrue(stats.path("loaded").asBoolean(), stats.toString());
        // The catalogue, then the two documents of the bad-input test that had text to encode.
        assertTrue(stats.path("documents").asLong() >= CATALOG.size() + 2, stats.toString());
        assertTrue(stats.path("truncated").asLong() >= 1, stats.toString());
        assertTrue(stats.path("model_bytes").asLong() > 80_000_000L, stats.toString());
    }

    @Test
    @Order(5)
    void registrationErrorsAreClear() throws IOException {
        assertError(NODE.call("PUT", "/_recsys/encoders/x", "{\"path\": \"../config\"}"), 400, "without '..'");
        assertError(NODE.call("PUT", "/_recsys/encoders/x", "{\"path\": \"/etc\"}"), 400, "must be a relative directory");
        assertError(
            NODE.call("PUT", "/_recsys/encoders/x", "{\"path\": \"absent\"}"),
            400,
            "is not a directory inside config/recsys-models/"
        );
        assertError(
            NODE.call("PUT", "/_recsys/encoders/x", "{\"path\": \"minilm\", \"polling\": \"mean\"}"),
            400,
            "unknown field [polling]"
        );
        assertError(NODE.call("PUT", "/_recsys/encoders/x", "{\"path\": \"minilm\", \"pooling\": \"max\"}"), 400, "unknown pooling [max]");
        assertError(
            NODE.call("PUT", "/_recsys/encoders/x", "{\"path\": \"minilm\", \"max_seq_length\": 100000}"),
            400,
            "exceeds the model's limit"
        );

        Path corrupt = NODE.home().resolve("config/recsys-models/corrupt");
        Files.createDirectories(corrupt);
        Path minilm = NODE.home().resolve("config/recsys-models/minilm");
        Files.copy(minilm.resolve("config.json"), corrupt.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(minilm.resolve("tokenizer.json"), corrupt.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(corrupt.resolve("model.safetensors"), "not a tensor file at all".getBytes(StandardCharsets.UTF_8));
        assertError(NODE.call("PUT", "/_recsys/encoders/corrupt", "{\"path\": \"corrupt\"}"), 400, "model.safetensors");

        assertError(NODE.call("GET", "/_recsys/encoders/nope"), 404, "encoder [nope] is not registered");
        TestNode.Reply pipeline = NODE.call("PUT", "/_ingest/pipeline/bad-encoder", """
            {"processors": [{"text_vector": {"fields": "title", "target_field": "v", "encoder": "nope"}}]}""");
        assertTrue(pipeline.status() / 100 == 4 && pipeline.text().contains("encoder [nope] is not registered"), pipeline.text());
    }

    @Test
    @Order(6)
    void deleteUnregistersAndUnknownIdsAre404() {
        NODE.ok("PUT", "/_recsys/encoders/minilm-copy", "{\"path\": \"minilm\", \"pooling\": \"cls\"}");
        JsonNode all = NODE.ok("GET", "/_recsys/encoders").path("encoders");
        assertEquals("cls", all.path("minilm-copy").path("pooling").asText(), all.toString());
        NODE.ok("DELETE", "/_recsys/encoders/minilm-copy");
        assertError(NODE.call("DELETE", "/_recsys/encoders/minilm-copy"), 404, "is not registered");
        assertFalse(NODE.ok("GET", "/_recsys/encoders").path("encoders").has("minilm-copy"));
    }

    private static String idOf(String title) {
        return CATALOG.stream().filter(i -> i.path("title").asText().equals(title)).findFirst().orElseThrow().path("item_id").asText();
    }

    private static void assertError(TestNode.Reply reply, int status, String fragment) {
        assertEquals(status, reply.status(), reply.text());
        assertTrue(reply.text().contains(fragment), "expected [" + fragment + "] in " + reply.text());
    }

    @Test
    @Order(7)
    void loadingAndRunningTheEncoderWasRefusedNothing() throws IOException {
        List<String> refusals = PluginInstalledIT.refusalsAndErrors(NODE);
        assertTrue(refusals.isEmpty(), "entitlement refusals or errors in " + NODE.log() + ": " + refusals);
    }
}

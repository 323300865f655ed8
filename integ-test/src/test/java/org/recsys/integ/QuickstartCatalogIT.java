package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick start's data path at a small size: the generated bookshop ({@code scripts/catalog}) loads with
 * {@code _bulk}, trains with the quick start's parameters, and {@code _recommend} gives readers books of the topics
 * the generator gave them. The text encoder is left out: the quick start runs MiniLM, which CI does not load.
 */
@ExtendWith(NodeLogOnFailure.class)
class QuickstartCatalogIT {

    private static final TestNode NODE = TestNode.get();
    private static final Path PROJECT = Path.of(System.getProperty("tests.project.dir"));
    private static final String BOOKS = "quickstart-it-books";
    private static final String READS = "quickstart-it-reads";
    private static final String READERS = "quickstart-it-readers";
    private static final String MODEL = "quickstart-it";

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        for (String index : List.of(BOOKS, READS, READERS)) {
            NODE.call("DELETE", "/" + index);
        }
    }

    @Test
    void readersGetBooksOfTheirTopics(@TempDir Path data) throws Exception {
        Process generator = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            PROJECT.resolve("scripts/catalog/CatalogGenerator.java").toString(),
            data.toString(),
            "7",
            "40",
            "200"
        ).inheritIO().start();
        assertTrue(generator.waitFor(2, TimeUnit.MINUTES) && generator.exitValue() == 0, "the catalogue generator failed");

        NODE.ok("PUT", "/" + BOOKS, "{\"mappings\": {\"properties\": {\"topic\": {\"type\": \"keyword\"}}}}");
        NODE.ok(
            "PUT",
            "/" + READS,
            "{\"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}}}}"
        );
        for (String[] load : List.of(new String[]{ BOOKS, "items.ndjson" }, new String[]{ READS, "interactions.ndjson" })) {
            JsonNode bulk = NODE.ok("POST", "/" + load[0] + "/_bulk?refresh=true", Files.readString(data.resolve(load[1])));
            assertFalse(bulk.path("errors").asBoolean(), () -> load[1] + " did not load");
        }
        assertEquals(480, NODE.ok("GET", "/" + BOOKS + "/_count").path("count").asInt());

        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "params": {"rank": 32, "iterations": 10, "alpha": 20, "threads": 1}}""", READS, BOOKS, READERS));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        assertEquals(200, trained.path("metrics").path("users").asInt());

        Map<String, List<String>> tastes = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("tastes.tsv"))) {
            String[] f = line.split("\t");
            tastes.put(f[0], List.of(f[1].split(",")));
        }
        int inTaste = 0;
        int recommended = 0;
        for (int r = 1; r <= 20; r++) {
            String reader = String.format(Locale.ROOT, "u%03d", r);
            JsonNode items = NODE.ok(
                "POST",
                "/_recsys/models/" + MODEL + "/_recommend",
                "{\"user\": {\"id\": \"" + reader + "\"}, \"k\": 10, \"fields\": [\"topic\"]}"
            ).path("items");
            for (JsonNode item : items) {
                recommended++;
                inTaste += tastes.get(reader).contains(item.path("fields").path("topic").asText()) ? 1 : 0;
            }
        }
        assertEquals(200, recommended);
        // Readers take 85% of their books from their topics; 12 topics make a random ranking about 10% in taste.
        assertTrue(inTaste >= 150, inTaste + " of 200 recommendations are in the readers' topics");
    }
}

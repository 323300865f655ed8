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
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cold-start items on a real node: MovieLens items get MiniLM text vectors at ingest, WALS trains on P2's training
 * interactions (which never mention the 155 cold items) with the projection step, and every item without
 * interactions gets a projected factor; then a brand-new item ingested through {@code text_vector} and
 * {@code wals_projection} is recommended by {@code _recommend} to a user whose history is made of items close to it.
 */
@ExtendWith(NodeLogOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionIT {

    private static final TestNode NODE = TestNode.get();
    private static final String MODEL = "projection-it";
    private static final String ITEMS = "projection-it-movies";
    private static final String INTERACTIONS = "projection-it-interactions";
    private static final String USERS = "projection-it-users";
    private static final String FACTOR = MODEL + "_factor_a";
    private static final String SOURCE = FACTOR + "_source";

    @BeforeAll
    static void ingestAndTrain() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        NODE.call("DELETE", "/" + USERS);
        MovieLens.loadItemsWithTextVectors(NODE, ITEMS, "projection-it-text");
        MovieLens.loadInteractions(NODE, INTERACTIONS, MovieLens.SPLITS.resolve("p2_train.tsv"));
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        for (String index : List.of(ITEMS, INTERACTIONS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
        NODE.call("DELETE", "/_ingest/pipeline/projection-it-text");
        NODE.call("DELETE", "/_ingest/pipeline/projection-it-new");
    }

    @Test
    @Order(1)
    void everyItemWithoutInteractionsGetsAProjectedFactor() throws IOException {
        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "projection": {"text_field": "text_vector"}, "params": {"threads": 2}}""", INTERACTIONS, ITEMS, USERS));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        int warm = trained.path("metrics").path("items").asInt();
        assertEquals(1_682 - warm, trained.path("metrics").path("projection").path("items_projected").asInt(), trained::toString);

        Set<String> cold =
            new HashSet<>(Files.readAllLines(MovieLens.SPLITS.resolve("p2_cold_items.txt")).stream().map(String::trim).toList());
        JsonNode counts = NODE.ok("GET", "/" + ITEMS + "/_search", String.format(Locale.ROOT, """
            {"size": 0, "aggs": {"source": {"terms": {"field": "%s"}}}}""", SOURCE));
        long projected = 0;
        for (JsonNode bucket : counts.path("aggregations").path("source").path("buckets")) {
            if (bucket.path("key").asText().equals("projected")) {
                projected = bucket.path("doc_count").asLong();
            }
        }
        assertEquals(1_682 - warm, projected);
        assertTrue(projected >= cold.size());
        JsonNode starshipTroopers = NODE.ok("GET", "/" + ITEMS + "/_doc/271").path("_source");
        assertTrue(cold.contains("271"));
        assertEquals("projected", starshipTroopers.path(SOURCE).asText());
        assertEquals(64, starshipTroopers.path(FACTOR).size());
        assertEquals("trained", NODE.ok("GET", "/" + ITEMS + "/_doc/50").path("_source").path(SOURCE).asText());

        JsonNode served = NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0).path("served");
        assertEquals("text_vector", served.path("projection").path("text_field").asText());
    }

    @Test
    @Order(2)
    void aNewItemIsRecommendedToAUserWhoseHistoryIsCloseToIt() {
        NODE.ok("PUT", "/_ingest/pipeline/projection-it-new", String.format(Locale.ROOT, """
            {"processors": [
              {"text_vector": {"fields": ["title", "genres", "plot"], "target_field": "text_vector", "encoder": "minilm"}},
              {"wals_projection": {"model": "%s"}}
            ]}""", MODEL));
        JsonNode jedi = NODE.ok("GET", "/" + ITEMS + "/_doc/181").path("_source");
        NODE.ok(
            "PUT",
            "/" + ITEMS + "/_doc/new-jedi?pipeline=projection-it-new&refresh=true",
            String.format(
                Locale.ROOT,
                """
                    {"title": "Star Wars: Episode VI - Return of the Jedi, Special Edition (1997)", "genres": %s, "plot": %s}""",
                jedi.path("genres"),
                jedi.path("plot")
            )
        );
        JsonNode item = NODE.ok("GET", "/" + ITEMS + "/_doc/new-jedi").path("_source");
        assertEquals("projected", item.path(SOURCE).asText(), item::toString);
        assertEquals(64, item.path(FACTOR).size());
        assertEquals("new-jedi", item.path(FACTOR + "_id").asText(), item::toString);

        // A new user who has watched the trilogy's first two films, folded in by _recommend; among the items nobody
        // has interacted with yet (P2's cold items and the new one), the new item is in their top 10.
        String body = "{\"user\": {\"history\": [{\"item\": \"50\"}, {\"item\": \"172\"}]}, \"k\": 10, \"num_candidates\": 2000,"
            + " \"filter\": {\"term\": {\""
            + SOURCE
            + "\": \"projected\"}}, \"fields\": [\"title\"]}";
        JsonNode top = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", body).path("items");
        assertEquals(10, top.size());
        List<String> titles = new ArrayList<>();
        top.forEach(h -> titles.add(h.path("id").asText() + " " + h.path("fields").path("title").asText()));
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("new-jedi ")), () -> "the new item is not in " + titles);

        // Without fields to return, _recommend reads the hits' ids from the doc values the processor wrote. A copy
        // indexed without an _id gets one only after the pipeline, so it has none there: its hit's stored _id is read.
        JsonNode copy = NODE.ok(
            "POST",
            "/" + ITEMS + "/_doc?pipeline=projection-it-new&refresh=true",
            String.format(
                Locale.ROOT,
                """
                    {"title": "Star Wars: Episode VI - Return of the Jedi, Special Edition (1997)", "genres": %s, "plot": %s}""",
                jedi.path("genres"),
                jedi.path("plot")
            )
        );
        String generated = copy.path("_id").asText();
        JsonNode copied = NODE.ok("GET", "/" + ITEMS + "/_doc/" + generated).path("_source");
        assertEquals("projected", copied.path(SOURCE).asText(), copied::toString);
        assertTrue(copied.has(FACTOR + "_id") == false, copied::toString);
        List<String> ids = new ArrayList<>();
        // The same text as the new item's, so the same projected factor: both are in the top 20 or neither is.
        String idsOnly = body.replace(", \"fields\": [\"title\"]", "").replace("\"k\": 10", "\"k\": 20");
        NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", idsOnly).path("items").forEach(h -> ids.add(h.path("id").asText()));
        assertTrue(ids.contains("new-jedi") && ids.contains(generated), () -> "the new items are not both in " + ids);
        NODE.ok("DELETE", "/" + ITEMS + "/_doc/" + generated + "?refresh=true");
    }

    @Test
    @Order(3)
    void badDocumentsAndModelsGetClearErrors() {
        NODE.ok("PUT", "/_ingest/pipeline/projection-it-bad", String.format(Locale.ROOT, """
            {"processors": [{"wals_projection": {"model": "%s"}}]}""", MODEL));
        TestNode.Reply noText = NODE.call("PUT", "/" + ITEMS + "/_doc/no-text?pipeline=projection-it-bad", "{\"title\": \"no vector\"}");
        assertEquals(400, noText.status(), noText::text);
        assertTrue(noText.text().contains("field [text_vector] is missing"), noText::text);
        TestNode.Reply wrongDims =
            NODE.call("PUT", "/" + ITEMS + "/_doc/short?pipeline=projection-it-bad", "{\"text_vector\": [0.1, 0.2]}");
        assertEquals(400, wrongDims.status(), wrongDims::text);
        assertTrue(wrongDims.text().contains("needs a vector of 384 numbers"), wrongDims::text);

        NODE.ok("PUT", "/_ingest/pipeline/projection-it-bad", "{\"processors\": [{\"wals_projection\": {\"model\": \"no-such-model\"}}]}");
        TestNode.Reply unknown = NODE.call("PUT", "/" + ITEMS + "/_doc/unknown?pipeline=projection-it-bad", "{\"text_vector\": [0.1]}");
        assertEquals(404, unknown.status(), unknown::text);
        assertTrue(unknown.text().contains("model [no-such-model] does not exist"), unknown::text);
        NODE.call("DELETE", "/_ingest/pipeline/projection-it-bad");
        assertEquals(404, NODE.call("GET", "/" + ITEMS + "/_doc/no-text").status(), "a refused document was indexed");
    }
}

package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Items keyed by a field of their own ({@code items.id_field}), not by {@code _id}: each movie's document is
 * {@code doc-<movie>} and its {@code movie_id} is the id the interactions use. {@code _recommend} answers in the
 * model's ids, leaves out the user's own items and ranks as {@code _evaluate} does; a history's items are found by
 * that field for fold-in.
 */
@ExtendWith(NodeLogOnFailure.class)
class ItemIdFieldIT {

    private static final TestNode NODE = TestNode.get();
    private static final String TRAIN = "item-id-it-interactions";
    private static final String TEST = "item-id-it-held-out";
    private static final String ITEMS = "item-id-it-movies";
    private static final String USERS = "item-id-it-users";
    private static final String MODEL = "item-id-it";

    @BeforeAll
    static void load() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        NODE.call("DELETE", "/" + USERS);
        MovieLens.loadInteractions(NODE, TRAIN, MovieLens.SPLITS.resolve("p1_train.tsv"));
        MovieLens.loadInteractions(NODE, TEST, MovieLens.SPLITS.resolve("p1_test.tsv"));
        assertEquals(1_682, MovieLens.loadItemsKeyedBy(NODE, ITEMS, "movie_id"));
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        for (String index : List.of(TRAIN, TEST, ITEMS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
    }

    @Test
    void recommendationsAreInTheItemsOwnIdsWithoutTheUsersItems() {
        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s", "id_field": "movie_id"}, "users": {"index": "%s"},
             "params": {"threads": 2}}""", TRAIN, ITEMS, USERS));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        assertEquals(1_646, trained.path("metrics").path("items_written").asInt(), trained::toString);
        double evaluated = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_evaluate", "{\"interactions\": {\"index\": \"" + TEST + "\"}}")
            .path("metrics")
            .path("ndcg@10")
            .asDouble();

        List<Rating> train = InteractionFiles.read(MovieLens.SPLITS.resolve("p1_train.tsv"));
        List<Rating> test = InteractionFiles.read(MovieLens.SPLITS.resolve("p1_test.tsv"));
        Map<String, Set<String>> seen = new HashMap<>();
        train.forEach(r -> seen.computeIfAbsent(r.user(), u -> new HashSet<>()).add(r.item()));
        Map<String, List<String>> recommended = new HashMap<>();
        for (Rating r : test) {
            recommended.computeIfAbsent(r.user(), user -> {
                List<String> ids = ids(NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", String.format(Locale.ROOT, """
                    {"user": {"id": "%s"}, "k": 10, "num_candidates": 2000}""", user)));
                assertEquals(10, ids.size());
                for (String id : ids) {
                    assertTrue(id.startsWith("doc-") == false, () -> "user " + user + " got a document id: " + ids);
                    assertTrue(seen.get(user).contains(id) == false, () -> "user " + user + " got their own item " + id + ": " + ids);
                }
                return ids;
            });
        }
        // Every item a candidate: the model's own ranking, so the figure is _evaluate's.
        assertEquals(evaluated, TopNMetrics.evaluate(train, test, recommended, 10, null).get("ndcg@10"), 1e-4);

        // A history in the model's ids is folded in from those items' factors, and its items are left out.
        JsonNode folded = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", """
            {"user": {"history": [{"item": "50"}, {"item": "172"}, {"item": "181"}]}, "k": 10, "num_candidates": 2000}""");
        assertEquals(0, folded.path("user").path("unknown_items").size(), folded::toString);
        assertEquals("folded_in", folded.path("user").path("vector").asText(), folded::toString);
        List<String> ids = ids(folded);
        assertEquals(10, ids.size());
        assertTrue(ids.stream().noneMatch(id -> id.startsWith("doc-") || List.of("50", "172", "181").contains(id)), ids::toString);
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }
}

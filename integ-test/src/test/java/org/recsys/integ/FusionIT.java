package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code recsys} rescorer on a real node, over a small model trained in the node: a {@code knn} section on the
 * served factor field (query vector: the stored user factor) feeds the window; the fused score with weight 1 on the
 * collaborative feature reproduces the knn order with scores 1 + dot; weight on popularity reorders by the count
 * field; the content feature reads the profile that training wrote beside the user's factor; another model's score
 * joins with its weight; explain lists every feature; bad requests are 4xx naming the problem.
 */
@ExtendWith(NodeLogOnFailure.class)
class FusionIT {

    private static final TestNode NODE = TestNode.get();
    private static final String INTERACTIONS = "fusion-it-interactions";
    private static final String ITEMS = "fusion-it-items";
    private static final String USERS = "fusion-it-users";
    private static final String MODEL = "fusion-it";
    private static final String FIELD = MODEL + "_factor_a";
    private static final String OTHER = "fusion-it-other";
    private static final String OTHER_FIELD = OTHER + "_factor_a";

    @BeforeAll
    static void train() {
        cleanUp();
        NODE.ok(
            "PUT",
            "/" + INTERACTIONS,
            "{\"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}}}}"
        );
        NODE.ok(
            "PUT",
            "/" + ITEMS,
            """
                {"mappings": {"properties": {"count": {"type": "long"}, "text": {"type": "dense_vector", "dims": 3, "similarity": "cosine"}}}}"""
        );
        StringBuilder bulk = new StringBuilder();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            // Item i has 12 - i users, so popularity and the factors' order differ for most users.
            for (int u = 0; u < 12 - i; u++) {
                bulk.append("{\"index\": {}}\n{\"user_id\": \"u").append(u).append("\", \"item_id\": \"i").append(i).append("\"}\n");
            }
            items.append("{\"index\": {\"_id\": \"i")
                .append(i)
                .append("\"}}\n{\"count\": ")
                .append(i == 11 ? 1000 : 12 - i)
                .append(", \"text\": ")
                .append(java.util.Arrays.toString(text(i)))
                .append("}\n");
        }
        NODE.ok("POST", "/" + INTERACTIONS + "/_bulk?refresh=true", bulk.toString());
        NODE.ok("POST", "/" + ITEMS + "/_bulk?refresh=true", items.toString());
        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"}, "content": {"text_field": "text"},
             "params": {"rank": 4, "iterations": 5, "threads": 1}}""", INTERACTIONS, ITEMS, USERS));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        JsonNode other = NODE.ok("POST", "/_recsys/models/" + OTHER + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "params": {"rank": 2, "iterations": 3, "threads": 1, "seed": 9}}""", INTERACTIONS, ITEMS, USERS));
        assertEquals("complete", other.path("status").asText(), other::toString);
        NODE.ok("POST", "/" + ITEMS + "/_refresh");
    }

    /** Item i's text vector: distinct directions, not of unit length. */
    private static float[] text(int i) {
        return new float[]{ (float) Math.cos(i), (float) Math.sin(i), 0.25f * i };
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        NODE.call("DELETE", "/_recsys/models/" + OTHER);
        for (String index : List.of(INTERACTIONS, ITEMS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
    }

    private static String userVector(String user) {
        return userDoc(user).path(FIELD).toString();
    }

    private static JsonNode userDoc(String user) {
        return NODE.ok("GET", "/" + USERS + "/_doc/" + user).path("_source");
    }

    private static double[] numbers(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** User u has items 0 .. 11 - u: the unit mean of their text vectors. */
    private static double[] expectedProfile(int u) {
        double[] mean = new double[3];
        for (int i = 0; i < 12 - u; i++) {
            float[] t = text(i);
            for (int d = 0; d < 3; d++) {
                mean[d] += t[d];
            }
        }
        double norm = Math.sqrt(dot(mean, mean));
        for (int d = 0; d < 3; d++) {
            mean[d] /= norm;
        }
        return mean;
    }

    private static String fusedSearch(String user, String rescorer) {
        return String.format(
            Locale.ROOT,
            """
                {"size": 12, "explain": true, "knn": {"field": "%s", "query_vector": %s, "k": 12, "num_candidates": 12},
                 "rescore": {"window_size": 12, "recsys": {"model": "%s", "user": {"id": "%s"}, %s}}}""",
            FIELD,
            userVector(user),
            MODEL,
            user,
            rescorer
        );
    }

    private static String search(String user, String weights, int window, int size, boolean explain) {
        return String.format(
            Locale.ROOT,
            """
                {"size": %d, "explain": %b,
                 "knn": {"field": "%s", "query_vector": %s, "k": 12, "num_candidates": 12},
                 "rescore": {"window_size": %d, "recsys": {"model": "%s", "user": {"id": "%s"}, "weights": %s, "popularity_field": "count"}}}""",
            size,
            explain,
            FIELD,
            userVector(user),
            window,
            MODEL,
            user,
            weights
        );
    }

    private static List<String> ids(JsonNode hits) {
        List<String> ids = new ArrayList<>();
        hits.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    @Test
    void collaborativeWeightKeepsTheKnnOrderAndPopularityReorders() {
        String knnOnly = String.format(Locale.ROOT, """
            {"size": 12, "knn": {"field": "%s", "query_vector": %s, "k": 12, "num_candidates": 12}}""", FIELD, userVector("u3"));
        JsonNode knn = NODE.ok("POST", "/" + ITEMS + "/_search", knnOnly);
        JsonNode fused = NODE.ok("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0, 0, 0]", 12, 12, false));
        assertEquals(ids(knn), ids(fused));
        for (int i = 0; i < 12; i++) {
            // knn's max_inner_product score and the fused score use the same positive map of the same dot product.
            assertEquals(
                knn.path("hits").path("hits").get(i).path("_score").asDouble(),
                fused.path("hits").path("hits").get(i).path("_score").asDouble(),
                1e-4
            );
        }
        JsonNode popular = NODE.ok("POST", "/" + ITEMS + "/_search", search("u3", "[0, 0, 1, 0]", 12, 12, false));
        List<String> expected = new ArrayList<>(List.of("i11"));
        for (int i = 0; i < 11; i++) {
            expected.add("i" + i);
        }
        assertEquals(expected, ids(popular));
        assertEquals(1 + Math.log1p(1000), popular.path("hits").path("hits").get(0).path("_score").asDouble(), 1e-4);
    }

    @Test
    void explainShowsEveryFeature() {
        JsonNode hit =
            NODE.ok("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0, 0.5, 0]", 12, 3, true)).path("hits").path("hits").get(0);
        String explanation = hit.path("_explanation").toString();
        for (String feature : List.of("collaborative", "content", "popularity", "first_phase")) {
            assertTrue(explanation.contains("contribution of [" + feature + "]"), explanation);
        }
        assertEquals(hit.path("_score").asDouble(), hit.path("_explanation").path("value").asDouble(), 1e-4);
    }

    @Test
    void trainingWritesEachUsersContentProfileAndTheContentFeatureReadsIt() {
        assertArrayEquals(expectedProfile(3), numbers(userDoc("u3").path(FIELD + "_profile")), 1e-5);
        JsonNode hits = NODE.ok("POST", "/" + ITEMS + "/_search", fusedSearch("u3", "\"weights\": [0, 1, 0, 0]")).path("hits").path("hits");
        assertEquals(12, hits.size());
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode hit : hits) {
            int i = Integer.parseInt(hit.path("_id").asText().substring(1));
            float[] t = text(i);
            double[] item = { t[0], t[1], t[2] };
            double cosine = dot(expectedProfile(3), item) / Math.sqrt(dot(item, item));
            assertEquals(cosine >= 0 ? 1 + cosine : 1 / (1 - cosine), hit.path("_score").asDouble(), 1e-4, hit::toString);
            assertTrue(hit.path("_score").asDouble() <= previous);
            previous = hit.path("_score").asDouble();
        }
    }

    @Test
    void anotherModelsScoreJoinsWithItsWeight() {
        double[] user = numbers(userDoc("u3").path(OTHER_FIELD));
        JsonNode hits = NODE.ok(
            "POST",
            "/" + ITEMS + "/_search",
            fusedSearch("u3", "\"weights\": [0, 0, 0, 0], \"models\": [{\"model\": \"" + OTHER + "\", \"weight\": 2}]")
        ).path("hits").path("hits");
        assertEquals(12, hits.size());
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode hit : hits) {
            double[] item = numbers(NODE.ok("GET", "/" + ITEMS + "/_doc/" + hit.path("_id").asText()).path("_source").path(OTHER_FIELD));
            double raw = 2 * dot(user, item);
            assertEquals(raw >= 0 ? 1 + raw : 1 / (1 - raw), hit.path("_score").asDouble(), 1e-4, hit::toString);
            assertTrue(hit.path("_score").asDouble() <= previous);
            previous = hit.path("_score").asDouble();
            assertTrue(hit.path("_explanation").toString().contains("contribution of model [" + OTHER + "]"), hit::toString);
        }
        TestNode.Reply unknown = NODE.call(
            "POST",
            "/" + ITEMS + "/_search",
            fusedSearch("u3", "\"weights\": [1, 0, 0, 0], \"models\": [{\"model\": \"no-such-model\", \"weight\": 1}]")
        );
        assertEquals(404, unknown.status(), unknown::text);
        TestNode.Reply malformed = NODE.call(
            "POST",
            "/" + ITEMS + "/_search",
            fusedSearch("u3", "\"weights\": [1, 0, 0, 0], \"models\": [{\"model\": \"" + OTHER + "\"}]")
        );
        assertEquals(400, malformed.status(), malformed::text);
        assertTrue(
            malformed.text().contains("failed to parse field [models]") && malformed.text().contains("Required [weight]"),
            malformed::text
        );
    }

    @Test
    void recommendWithFusionRanksAsTheSearchDoes() {
        JsonNode search =
            NODE.ok("POST", "/" + ITEMS + "/_search", fusedSearch("u3", "\"weights\": [1, 0.5, 0.1, 0], \"popularity_field\": \"count\""));
        JsonNode recommend = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", """
            {"user": {"id": "u3"}, "k": 3, "exclude_seen": false, "num_candidates": 12,
             "fusion": {"weights": [1, 0.5, 0.1, 0], "popularity_field": "count", "window_size": 12}}""");
        List<String> recommended = new ArrayList<>();
        recommend.path("items").forEach(i -> recommended.add(i.path("id").asText()));
        assertEquals(ids(search).subList(0, 3), recommended);
    }

    /**
     * {@code _user} gives the resolved user with the params of the {@code fused} script, and that script scores every
     * item exactly as the rescorer does over the same candidates.
     */
    @Test
    void theFusedScriptScoresAsTheRescorer() throws Exception {
        JsonNode resolved = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": {\"id\": \"u3\"}}");
        assertEquals("stored", resolved.path("source").asText(), resolved::toString);
        assertEquals(9, resolved.path("seen_items").asInt());
        JsonNode params = resolved.path("script_params");
        assertEquals(FIELD, params.path("item_field").asText());
        assertArrayEquals(numbers(userDoc("u3").path(FIELD)), numbers(params.path("user_vector")), 1e-6);
        assertArrayEquals(expectedProfile(3), numbers(params.path("content_profile")), 1e-5);
        assertEquals(FIELD + "_count", params.path("popularity_field").asText());

        com.fasterxml.jackson.databind.node.ObjectNode scriptParams = params.deepCopy();
        scriptParams.set("weights", TestNode.JSON.readTree("[1, 0.5, 0.1, 0.2]"));
        JsonNode scripted = NODE.ok(
            "POST",
            "/" + ITEMS + "/_search",
            String.format(
                Locale.ROOT,
                """
                    {"size": 12, "query": {"script_score": {"query": {"match_all": {}}, "script": {"lang": "recsys", "source": "fused", "params": %s}}}}""",
                scriptParams
            )
        ).path("hits").path("hits");
        JsonNode rescored = NODE.ok(
            "POST",
            "/" + ITEMS + "/_search",
            String.format(
                Locale.ROOT,
                """
                    {"size": 12, "query": {"match_all": {}}, "rescore": {"window_size": 12, "recsys": {"model": "%s", "user": {"id": "u3"}, "weights": [1, 0.5, 0.1, 0.2]}}}""",
                MODEL
            )
        ).path("hits").path("hits");
        assertEquals(12, scripted.size());
        assertEquals(ids(rescoredHits(rescored)), ids(rescoredHits(scripted)));
        for (int i = 0; i < 12; i++) {
            assertEquals(
                rescored.get(i).path("_score").asDouble(),
                scripted.get(i).path("_score").asDouble(),
                1e-5,
                scripted.get(i)::toString
            );
        }

        scriptParams.remove("weights");
        TestNode.Reply noWeights = NODE.call(
            "POST",
            "/" + ITEMS + "/_search",
            String.format(
                Locale.ROOT,
                """
                    {"query": {"script_score": {"query": {"match_all": {}}, "script": {"lang": "recsys", "source": "fused", "params": %s}}}}""",
                scriptParams
            )
        );
        assertEquals(400, noWeights.status(), noWeights::text);
        assertTrue(noWeights.text().contains("[params.weights]"), noWeights::text);
        // A history's profile is made at request time from the same text vectors: u3's items give u3's profile.
        StringBuilder history = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            history.append(i == 0 ? "" : ", ").append("{\"item\": \"i").append(i).append("\"}");
        }
        JsonNode folded = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": {\"history\": [" + history + "]}}");
        assertEquals("folded_in", folded.path("source").asText(), folded::toString);
        assertArrayEquals(expectedProfile(3), numbers(folded.path("script_params").path("content_profile")), 1e-5);
        TestNode.Reply unknownUser = NODE.call("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": {\"id\": \"nobody\"}}");
        assertEquals(404, unknownUser.status(), unknownUser::text);
    }

    private static JsonNode rescoredHits(JsonNode hits) {
        return TestNode.JSON.createObjectNode().set("hits", TestNode.JSON.createObjectNode().set("hits", hits));
    }

    @Test
    void badRequestsAreClear4xx() {
        TestNode.Reply wrongLength = NODE.call("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0, 0, 0, 0, 0]", 12, 5, false));
        assertEquals(400, wrongLength.status(), wrongLength::text);
        assertTrue(wrongLength.text().contains("[weights] has 6 numbers; expected 1 to 5"), wrongLength::text);

        TestNode.Reply smallWindow = NODE.call("POST", "/" + ITEMS + "/_search", search("u3", "[1, 0, 0, 0]", 3, 5, false));
        assertEquals(400, smallWindow.status(), smallWindow::text);
        assertTrue(smallWindow.text().contains("[window_size] is [3]"), smallWindow::text);

        String unknownModel =
            search("u3", "[1, 0, 0, 0]", 12, 5, false).replace("\"model\": \"" + MODEL + "\"", "\"model\": \"no-such-model\"");
        TestNode.Reply noModel = NODE.call("POST", "/" + ITEMS + "/_search", unknownModel);
        assertEquals(404, noModel.status(), noModel::text);

        String unknownUser =
            search("u3", "[1, 0, 0, 0]", 12, 5, false).replace("\"user\": {\"id\": \"u3\"}", "\"user\": {\"id\": \"nobody\"}");
        TestNode.Reply noUser = NODE.call("POST", "/" + ITEMS + "/_search", unknownUser);
        assertEquals(404, noUser.status(), noUser::text);
        assertTrue(noUser.text().contains("send the user's [history]"), noUser::text);

        String emptyHistory =
            search("u3", "[1, 0, 0, 0]", 12, 5, false).replace("\"user\": {\"id\": \"u3\"}", "\"user\": {\"history\": []}");
        TestNode.Reply empty = NODE.call("POST", "/" + ITEMS + "/_search", emptyHistory);
        assertEquals(400, empty.status(), empty::text);
    }
}

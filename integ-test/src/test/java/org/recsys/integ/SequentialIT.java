package org.recsys.integ;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.SequentialRecommendations;
import org.recsys.core.sequential.SequentialModel;
import org.recsys.core.sequential.SequentialModelFile;
import org.recsys.core.sequential.SequentialParams;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequential model trained inside a real node from the first users of protocol P3's training file (timestamps
 * included): the node stores byte for byte the model core trains offline from the same rows, seed and threads; the
 * tail vector of a history (sent, or read from the interactions index) ranks the items through {@code knn} as the
 * offline network does, and through {@code _recommend} and the {@code recsys} rescorer as the offline model's fused
 * score (network plus transition term) does; bad input gets a 4xx.
 */
@ExtendWith(NodeLogOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SequentialIT {

    private static final TestNode NODE = TestNode.get();
    private static final String INTERACTIONS = "seq-it-interactions";
    private static final String ITEMS = "seq-it-movies";
    private static final String USERS = "seq-it-users";
    private static final String MODEL = "seq-it";
    private static final String WALS = "seq-it-wals";
    private static final int USER_COUNT = 150;
    /**
     * Small, so that the test stays quick; max_length 20 makes most histories longer than the model reads. Causal, with
     * a sampled softmax of 200 negatives (the users' items are many more): the trained and served model of P3's figures.
     */
    private static final SequentialParams PARAMS = SequentialParams.builder()
        .hidden(16)
        .layers(1)
        .maxLength(20)
        .batchSize(32)
        .maxEpochs(4)
        .patience(4)
        .seed(7L)
        .negatives(200)
        .build();
    /** A causal model reads the most recent max_length items. */
    private static final int READ = 20;
    /**
     * One PyTorch thread, here and in the node. With two, one full-suite run (2026-12-06) trained a model 1e-7 apart
     * from the offline one, which four runs of other orders did not repeat: the causal, sampled model's two-thread
     * reproducibility is not settled (see the session note), while one thread gives the same bytes in any order.
     */
    private static final int THREADS = 1;
    private static final String TRAIN = """
        {
          "type": "sequential",
          "interactions": {"index": "%s", "timestamp_field": "timestamp"},
          "items": {"index": "%s", "vector_field": "seq"},
          "params": {"hidden": 16, "layers": 1, "heads": 2, "max_length": 20, "batch_size": 32, "max_epochs": %d, "patience": %d,
                     "seed": 7, "causal": true, "negatives": 200, "threads": 1}
        }""";

    /** Each user's items ordered by (timestamp, item), as the node orders them. */
    private static final Map<String, List<String>> HISTORIES = new LinkedHashMap<>();
    private static SequentialModel offline;
    private static byte[] offlineBytes;
    private static double offlineLastLoss;
    private static int items;

    @BeforeAll
    static void load() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        NODE.call("DELETE", "/_recsys/models/" + WALS);
        NODE.call("DELETE", "/" + USERS);
        List<Rating> rows = new ArrayList<>(InteractionFiles.read(MovieLens.SPLITS.resolve("p3_train.tsv")));
        rows.removeIf(r -> Integer.parseInt(r.user()) > USER_COUNT);
        rows.sort(
            Comparator.comparingInt((Rating r) -> Integer.parseInt(r.user()))
                .thenComparingLong(Rating::timestamp)
                .thenComparingInt(r -> Integer.parseInt(r.item()))
        );
        rows.forEach(r -> HISTORIES.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r.item()));
        // Integer ids sort as numbers, as the protocol's files do.
        MovieLens.loadInteractions(NODE, INTERACTIONS, rows, "integer");
        items = MovieLens.loadItems(NODE, ITEMS);
        // Flat vector fields make knn exact, so its ranking can be compared with the offline one.
        int dims = PARAMS.hidden() + 1;
        NODE.ok(
            "PUT",
            "/" + ITEMS + "/_mapping",
            String.format(
                Locale.ROOT,
                """
                    {"properties": {
                      "seq_a": {"type": "dense_vector", "dims": %1$d, "similarity": "max_inner_product", "index_options": {"type": "flat"}},
                      "seq_b": {"type": "dense_vector", "dims": %1$d, "similarity": "max_inner_product", "index_options": {"type": "flat"}}}}""",
                dims
            )
        );

        // The offline reference: P3's split of the same rows (each user's last item the validation step's target).
        List<Rating> train = new ArrayList<>();
        List<Rating> valid = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            boolean last = i == rows.size() - 1 || rows.get(i + 1).user().equals(rows.get(i).user()) == false;
            (last ? valid : train).add(rows.get(i));
        }
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(THREADS);
        JniUtils.setGradMode(false);
        offline = SequentialRecommendations.train(train, valid, PARAMS, (e, l, v, s) -> offlineLastLoss = l).model();
        offlineBytes = SequentialModelFile.toBytes(offline);
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        NODE.call("DELETE", "/_recsys/models/" + WALS);
        NODE.call("DELETE", "/_recsys/models/seq-it-bad");
        for (String index : List.of(INTERACTIONS, ITEMS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
    }

    @Test
    @Order(1)
    void theNodeTrainsTheOfflineModel() throws Exception {
        JsonNode started = NODE.ok(
            "POST",
            "/_recsys/models/" + MODEL + "/_train?wait_for_completion=false",
            String.format(Locale.ROOT, TRAIN, INTERACTIONS, ITEMS, 4, 4)
        );
        String task = started.path("task").asText();
        TrainIT.waitFor(() -> NODE.ok("GET", "/_tasks/" + task).path("completed").asBoolean(), "the training to end");
        JsonNode result = NODE.ok("GET", "/_tasks/" + task);
        JsonNode status = result.path("task").path("status");
        assertEquals(4, status.path("iterations").asInt(), result::toString);
        // The task reports the last epoch's training loss: the offline run's, as the bytes are the same.
        assertEquals(offlineLastLoss, status.path("loss").asDouble(), 1e-9 * offlineLastLoss, result::toString);
        JsonNode trained = result.path("response");
        assertEquals("complete", trained.path("status").asText(), result::toString);
        JsonNode metrics = trained.path("metrics");
        int interactions = HISTORIES.values().stream().mapToInt(List::size).sum();
        assertEquals(interactions, metrics.path("interactions").path("used").asInt(), metrics::toString);
        assertEquals(USER_COUNT, metrics.path("users").asInt());
        assertEquals(USER_COUNT, metrics.path("validation_users").asInt());
        assertEquals(offline.shape().items(), metrics.path("items").asInt());
        assertEquals(offline.shape().items(), metrics.path("items_written").asInt());
        assertEquals(17, metrics.path("item_dims").asInt());
        // Same rows in the same order, same seed and PyTorch threads: the same bytes.
        assertEquals(offlineBytes.length, metrics.path("model_bytes").asInt());
        assertEquals(sha256(offlineBytes), metrics.path("model_sha256").asText(), "the node's model differs from the offline one");

        JsonNode model = NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0);
        assertEquals("sequential", model.path("type").asText(), model::toString);
        assertEquals("seq_a", model.path("served").path("item_field").asText(), model::toString);
        assertFalse(model.path("served").has("user_field"), model::toString);
        // The item documents hold [v, b].
        JsonNode doc = NODE.ok("GET", "/" + ITEMS + "/_doc/50").path("_source");
        float[] vectors = offline.itemVectors();
        int row = offline.items().indexOf("50");
        for (int d = 0; d < 17; d++) {
            assertEquals(vectors[row * 17 + d], doc.path("seq_a").get(d).floatValue(), 0f);
        }
    }

    @Test
    @Order(2)
    void knnWithTheTailVectorIsTheOfflineTopTen() {
        for (String user : List.of("1", "7", "42", "150")) {
            List<String> history = HISTORIES.get(user);
            List<String> expected = offlineTop(history, 10, false);
            Map<String, Double> scores = offlineScores(history, false);
            // The user's interactions read from the index.
            assertSameRanking(expected, knn("{\"id\": \"" + user + "\"}", history), scores);
            // The history sent as it is, oldest first.
            assertSameRanking(expected, knn(historyJson(history, false), history), scores);
        }
    }

    @Test
    @Order(3)
    void recommendAnswersWithTheEncodedUser() {
        String user = "42";
        List<String> history = HISTORIES.get(user);
        JsonNode answer = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", String.format(Locale.ROOT, """
            {"user": {"id": "%s"}, "k": 10, "num_candidates": %d}""", user, items));
        JsonNode who = answer.path("user");
        assertEquals("encoded", who.path("vector").asText(), answer::toString);
        assertEquals("interactions", who.path("history").asText());
        assertEquals(new LinkedHashSet<>(history).size(), who.path("seen_items").asInt());
        assertEquals(READ, who.path("used_items").asInt());
        assertEquals(history.size() - READ, who.path("truncated_items").asInt());
        List<String> ids = new ArrayList<>();
        answer.path("items").forEach(i -> ids.add(i.path("id").asText()));
        Map<String, Double> scores = offlineScores(history, true);
        assertSameRanking(offlineTop(history, 10, true), ids, scores);
        // Scores are the model's q·v + b plus its transition term.
        answer.path("items").forEach(i -> assertEquals(scores.get(i.path("id").asText()), i.path("score").asDouble(), 1e-4));

        // _user answers the tail vector itself: the offline model's, to the bit (the same plain-Java encoder).
        JsonNode resolved = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": {\"id\": \"" + user + "\"}}");
        float[] vector = offline.query(history).vector();
        assertEquals(vector.length, resolved.path("vector").size(), resolved::toString);
        for (int d = 0; d < vector.length; d++) {
            assertEquals(vector[d], resolved.path("vector").get(d).floatValue(), 0f);
        }
    }

    /**
     * The served ranking is the model's score fused with its transition term, as offline: on this data the validation
     * step chose a positive weight, and for some users the fused top ten is not the network's, so a node that served
     * the network's ranking (knn's) would fail here.
     */
    @Test
    @Order(4)
    void recommendRanksByTheFusedScoreAsOffline() {
        assertTrue(offline.fusion().weight() > 0, "the validation step chose no transition term; this test needs one");
        List<String> changed = HISTORIES.keySet()
            .stream()
            .filter(u -> offlineTop(HISTORIES.get(u), 10, true).equals(offlineTop(HISTORIES.get(u), 10, false)) == false)
            .limit(5)
            .toList();
        assertFalse(changed.isEmpty(), "the transition term changes no user's top ten");
        for (String user : changed) {
            List<String> history = HISTORIES.get(user);
            Map<String, Double> scores = offlineScores(history, true);
            for (String who : List.of("{\"id\": \"" + user + "\"}", historyJson(history, true))) {
                JsonNode answer = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", String.format(Locale.ROOT, """
                    {"user": %s, "k": 10}""", who));
                List<String> ids = new ArrayList<>();
                answer.path("items").forEach(i -> ids.add(i.path("id").asText()));
                assertSameRanking(offlineTop(history, 10, true), ids, scores);
            }
        }
    }

    @Test
    @Order(5)
    void theRescorerAddsTheSequentialScoreAsAFeature() {
        JsonNode wals = NODE.ok("POST", "/_recsys/models/" + WALS + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s", "vector_field": "wals"}, "users": {"index": "%s"},
             "params": {"rank": 8, "iterations": 3, "threads": 2}}""", INTERACTIONS, ITEMS, USERS));
        assertEquals("complete", wals.path("status").asText(), wals::toString);
        String user = "7";
        List<String> history = HISTORIES.get(user);
        List<String> expected = offlineTop(history, 10, true);
        Map<String, Double> scores = offlineScores(history, true);
        // Every unseen item of the model in the window (an item without a vector would score 0 there, not its model
        // score); the wals model's own features weigh nothing, the sequential score 1.
        String excluded = TestNode.JSON.valueToTree(new LinkedHashSet<>(history)).toString();
        for (String rescorer : List.of(
            "\"model\": \"" + WALS + "\", \"weights\": [0, 0, 0, 0], \"models\": [{\"model\": \"" + MODEL + "\", \"weight\": 1}]",
            "\"model\": \"" + MODEL + "\", \"weights\": [1, 0, 0, 0]"
        )) {
            JsonNode hits = NODE.ok(
                "POST",
                "/" + ITEMS + "/_search",
                String.format(
                    Locale.ROOT,
                    """
                        {"size": 10, "_source": false, "query": {"bool": {"filter": {"exists": {"field": "seq_a"}}, "must_not": {"ids": {"values": %s}}}},
                         "rescore": {"window_size": %d, "recsys": {%s, "user": {"id": "%s"}}}}""",
                    excluded,
                    items,
                    rescorer,
                    user
                )
            );
            List<String> ids = new ArrayList<>();
            hits.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
            assertSameRanking(expected, ids, scores);
            double top = scores.get(ids.get(0));
            double raw = hits.path("hits").path("hits").get(0).path("_score").asDouble();
            assertEquals(top >= 0 ? 1 + top : 1 / (1 - top), raw, 1e-4, hits::toString);
        }
    }

    @Test
    @Order(6)
    void historiesAreCleanedAndCounted() {
        List<String> history = HISTORIES.get("1");
        // Longer than max_length: the READ most recent are read, the rest counted.
        JsonNode longer = recommend(historyJson(history, true));
        assertEquals(READ, longer.path("user").path("used_items").asInt(), longer::toString);
        assertEquals(history.size() - READ, longer.path("user").path("truncated_items").asInt());
        assertEquals(
            vector(offline.query(history.subList(history.size() - READ, history.size())).vector()),
            userVector(historyJson(history, true))
        );

        // Unknown ids are skipped and listed.
        List<String> withUnknown = List.of(history.get(0), "no-such-movie", history.get(1));
        JsonNode unknown = recommend(historyJson(withUnknown, false));
        assertEquals(List.of("no-such-movie"), strings(unknown.path("user").path("unknown_items")), unknown::toString);
        assertEquals(2, unknown.path("user").path("used_items").asInt());
        assertEquals(vector(offline.query(List.of(history.get(0), history.get(1))).vector()), userVector(historyJson(withUnknown, false)));
    }

    @Test
    @Order(7)
    void badInputIsAClearAnswer() {
        assertError(
            400,
            "/_recsys/models/" + MODEL + "/_recommend",
            "{\"user\": {\"history\": []}}",
            "[user] needs an [id] or a non-empty [history] for model [" + MODEL + "]"
        );
        assertError(
            400,
            "/_recsys/models/" + MODEL + "/_recommend",
            "{\"user\": {\"history\": [{\"item\": \"nope\"}, {\"item\": \"nada\"}]}}",
            "none of the 2 items of [user.history] is known to version [1] of model [" + MODEL + "]: [nope, nada]"
        );
        assertError(
            400,
            "/_recsys/models/" + MODEL + "/_recommend",
            "{\"user\": {\"history\": [{\"item\": \"1\", \"timestamp\": 5}, {\"item\": \"2\"}]}}",
            "[user.history] gives a [timestamp] for 1 of its 2 items"
        );
        assertError(
            404,
            "/_recsys/models/" + MODEL + "/_recommend",
            "{\"user\": {\"id\": \"9999\"}}",
            "user [9999] has no interactions in [" + INTERACTIONS + "]"
        );
        assertError(404, "/_recsys/models/no-such-model/_recommend", "{\"user\": {\"id\": \"1\"}}", "no-such-model");
        assertError(
            404,
            "/" + ITEMS + "/_search",
            String.format(Locale.ROOT, """
                {"knn": {"field": "seq_a", "k": 5, "num_candidates": 10,
                 "query_vector_builder": {"recsys_user": {"model": "%s", "user": {"id": "9999"}}}}}""", MODEL),
            "user [9999] has no interactions"
        );

        assertError(
            400,
            "/_recsys/models/seq-it-bad/_train",
            String.format(Locale.ROOT, """
                {"type": "sequential", "interactions": {"index": "%s"}, "items": {"index": "%s"}}""", INTERACTIONS, ITEMS),
            "[interactions.timestamp_field] is required for a [sequential] model"
        );
        assertError(
            400,
            "/_recsys/models/seq-it-bad/_train",
            String.format(
                Locale.ROOT,
                """
                    {"type": "sequential", "interactions": {"index": "%s", "timestamp_field": "watched"}, "items": {"index": "%s"}}""",
                INTERACTIONS,
                ITEMS
            ),
            "[timestamp_field] [watched] is not mapped in index [" + INTERACTIONS + "]"
        );
        assertError(400, "/_recsys/models/seq-it-bad/_train", String.format(Locale.ROOT, """
            {"type": "sequential", "interactions": {"index": "%s", "timestamp_field": "timestamp"}, "items": {"index": "%s"},
             "params": {"max_length": 100000}}""", INTERACTIONS, ITEMS), "[params.max_length] is [100000]; it must be between 2 and 2048");
        assertError(
            409,
            "/_recsys/models/" + WALS + "/_train",
            String.format(Locale.ROOT, TRAIN, INTERACTIONS, ITEMS, 1, 1),
            "is a [wals] model; it cannot be trained as [sequential]"
        );
        assertError(400, "/_recsys/models/" + MODEL + "/_evaluate", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}}""", INTERACTIONS), "_evaluate ranks [wals] models");
    }

    @Test
    @Order(8)
    void aCancelledRetrainingLeavesTheServedVersion() throws Exception {
        List<String> before = knn("{\"id\": \"3\"}", HISTORIES.get("3"));
        JsonNode started = NODE.ok(
            "POST",
            "/_recsys/models/" + MODEL + "/_train?wait_for_completion=false",
            String.format(Locale.ROOT, TRAIN, INTERACTIONS, ITEMS, 1000, 1000)
        );
        String task = started.path("task").asText();
        TrainIT.waitFor(() -> NODE.ok("GET", "/_tasks/" + task).path("task").path("status").path("iteration").asInt() >= 1, "an epoch");
        NODE.ok("POST", "/_tasks/" + task + "/_cancel");
        TrainIT.waitFor(() -> NODE.ok("GET", "/_tasks/" + task).path("completed").asBoolean(), "the cancelled task to end");
        JsonNode result = NODE.ok("GET", "/_tasks/" + task);
        assertEquals("task_cancelled_exception", result.path("error").path("type").asText(), result::toString);
        JsonNode model = NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0);
        assertEquals(1, model.path("served").path("version").asInt(), model::toString);
        assertEquals(before, knn("{\"id\": \"3\"}", HISTORIES.get("3")));
    }

    /** The offline model's top {@code k} for a history, the history's items excluded (as P3 ranks). */
    private static List<String> offlineTop(List<String> history, int k, boolean fused) {
        Map<String, Double> scores = offlineScores(history, fused);
        Set<String> seen = Set.copyOf(history);
        return scores.entrySet()
            .stream()
            .filter(e -> seen.contains(e.getKey()) == false)
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(k)
            .map(Map.Entry::getKey)
            .toList();
    }

    /**
     * q·v + b of every item, in double; {@code fused}: plus the model's transition term after the history's last item
     * (what {@code _recommend} and the rescorer rank by; knn ranks by q·v + b alone).
     */
    private static Map<String, Double> offlineScores(List<String> history, boolean fused) {
        SequentialModel.Query query = offline.query(history);
        float[] q = query.vector();
        float[] v = offline.itemVectors();
        int dim = q.length;
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i = 0; i < offline.shape().items(); i++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (double) q[d] * v[i * dim + d];
            }
            scores.put(offline.items().id(i), s + (fused ? offline.fusion().term(query.last(), i) : 0));
        }
        return scores;
    }

    /**
     * The node's list is the offline one, except that two items whose scores differ by less than float rounding may
     * come in either order.
     */
    private static void assertSameRanking(List<String> expected, List<String> actual, Map<String, Double> scores) {
        assertEquals(expected.size(), actual.size(), () -> expected + " vs " + actual);
        for (int i = 0; i < expected.size(); i++) {
            int at = i;
            assertEquals(
                scores.get(expected.get(i)),
                scores.get(actual.get(i)),
                1e-5,
                () -> "rank " + at + ": " + expected + " vs " + actual
            );
        }
    }

    /** The top 10 of an exact knn search with the model's vector for {@code user}, the history excluded. */
    private static List<String> knn(String user, List<String> history) {
        JsonNode hits = NODE.ok(
            "POST",
            "/" + ITEMS + "/_search",
            String.format(
                Locale.ROOT,
                """
                    {"size": 10, "_source": false, "knn": {"field": "seq_a", "k": 10, "num_candidates": %d,
                     "query_vector_builder": {"recsys_user": {"model": "%s", "user": %s}},
                     "filter": {"bool": {"must_not": {"ids": {"values": %s}}}}}}""",
                items,
                MODEL,
                user,
                TestNode.JSON.valueToTree(new LinkedHashSet<>(history))
            )
        );
        List<String> ids = new ArrayList<>();
        hits.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    /** {"history": [...]}, each item with its position as timestamp when {@code timed}. */
    private static String historyJson(List<String> history, boolean timed) {
        ObjectNode user = TestNode.JSON.createObjectNode();
        ArrayNode items = user.putArray("history");
        for (int i = 0; i < history.size(); i++) {
            ObjectNode item = items.addObject().put("item", history.get(i));
            if (timed) {
                item.put("timestamp", 1_000 + i);
            }
        }
        return user.toString();
    }

    private static JsonNode recommend(String user) {
        return NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", "{\"user\": " + user + ", \"k\": 3}");
    }

    private static List<Float> userVector(String user) {
        JsonNode resolved = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": " + user + "}");
        List<Float> out = new ArrayList<>();
        resolved.path("vector").forEach(v -> out.add(v.floatValue()));
        return out;
    }

    private static List<Float> vector(float[] v) {
        return IntStream.range(0, v.length).mapToObj(i -> v[i]).collect(Collectors.toList());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static void assertError(int status, String path, String body, String message) {
        TestNode.Reply reply = NODE.call("POST", path, body);
        assertEquals(status, reply.status(), reply::text);
        assertTrue(reply.text().contains(message), () -> reply.text() + " does not contain " + message);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

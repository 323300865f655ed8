package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.MeluPredictions;
import org.recsys.core.eval.MovieLensFeatures;
import org.recsys.core.eval.NewUserSplit;
import org.recsys.core.eval.Rating;
import org.recsys.core.melu.Adaptation;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluModelFormat;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.vector.FlatVectors;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MeLU meta-trained inside a real node from protocol P4's training ratings, MovieLens's users and movies loaded as
 * indices: the stored model is byte for byte the one core trains offline from the same files with the same
 * parameters, every movie's embedded features are in the served slot, and bad requests get 4xx answers naming
 * the problem.
 */
@ExtendWith(NodeLogOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeluIT {

    private static final TestNode NODE = TestNode.get();
    private static final String RATINGS = "melu-it-ratings";
    private static final String USERS = "melu-it-users";
    private static final String MOVIES = "melu-it-movies";
    private static final String MODEL = "melu-it";
    private static final String WALS = "melu-it-wals";
    /** Small, so that the test stays quick; every other parameter is the default. */
    private static final Map<String, String> PARAMS =
        Map.of("embedding_dim", "8", "hidden1", "16", "hidden2", "16", "local_steps", "2", "epochs", "2", "threads", "2");
    private static final MovieLensFeatures FEATURES = MovieLensFeatures.read(MovieLens.SHARED.resolve("datasets/ml-100k"));
    /** The model core trains offline from the same files: what the node must serve. */
    private static MeluModel offline;

    private static String request(String extraParams) {
        return String.format(
            Locale.ROOT,
            """
                {
                  "type": "melu",
                  "interactions": {"index": "%s", "weight_field": "rating", "timestamp_field": "timestamp"},
                  "items": {"index": "%s", "features": [
                    {"name": "genres"}, {"name": "year"}, {"name": "director", "split": ","}, {"name": "actors", "field": "cast", "split": ","}]},
                  "users": {"index": "%s", "features": [
                    {"name": "gender"}, {"name": "age", "buckets": [18, 25, 35, 45, 50, 56]}, {"name": "occupation"}, {"name": "zip", "prefix": 2}]},
                  "params": {"embedding_dim": 8, "hidden1": 16, "hidden2": 16, "local_steps": 2, "epochs": 2, "threads": 2%s}
                }""",
            RATINGS,
            MOVIES,
            USERS,
            extraParams
        );
    }

    @BeforeAll
    static void load() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        MovieLens.loadInteractions(NODE, RATINGS, MovieLens.SPLITS.resolve("p4_train.tsv"));
        NODE.call("DELETE", "/" + USERS);
        NODE.ok("PUT", "/" + USERS, """
            {"mappings": {"properties": {"gender": {"type": "keyword"}, "age": {"type": "integer"},
             "occupation": {"type": "keyword"}, "zip": {"type": "keyword"}}}}""");
        StringBuilder bulk = new StringBuilder();
        FEATURES.users().forEach((id, raw) -> {
            ObjectNode doc = TestNode.JSON.createObjectNode();
            doc.put("gender", raw.get("gender").get(0)).put("age", Integer.parseInt(raw.get("age").get(0)));
            doc.put("occupation", raw.get("occupation").get(0)).put("zip", raw.get("zip").get(0));
            bulk.append("{\"index\": {\"_id\": \"").append(id).append("\"}}\n").append(doc).append('\n');
        });
        NODE.ok("POST", "/" + USERS + "/_bulk?refresh=true", bulk.toString());

        // Movies as a user would index them: genres an array, the year a number, names as text.
        NODE.call("DELETE", "/" + MOVIES);
        NODE.ok("PUT", "/" + MOVIES, """
            {"mappings": {"properties": {"genres": {"type": "keyword"}, "year": {"type": "integer"},
             "director": {"type": "text"}, "cast": {"type": "text"}}}}""");
        bulk.setLength(0);
        FEATURES.items().forEach((id, raw) -> {
            ObjectNode doc = TestNode.JSON.createObjectNode();
            raw.get("genres").forEach(doc.putArray("genres")::add);
            raw.get("year").forEach(y -> doc.put("year", Integer.parseInt(y)));
            raw.getOrDefault("director", List.of()).forEach(d -> doc.put("director", d));
            raw.getOrDefault("actors", List.of()).forEach(a -> doc.put("cast", a));
            bulk.append("{\"index\": {\"_id\": \"").append(id).append("\"}}\n").append(doc).append('\n');
        });
        NODE.ok("POST", "/" + MOVIES + "/_bulk?refresh=true", bulk.toString());
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        NODE.call("DELETE", "/_recsys/models/" + WALS);
        for (String index : List.of(RATINGS, USERS, MOVIES, MODEL + "-factors")) {
            NODE.call("DELETE", "/" + index);
        }
    }

    @Test
    @Order(1)
    void theNodeTrainsTheOfflineModel() throws Exception {
        JsonNode started = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train?wait_for_completion=false", request(""));
        String task = started.path("task").asText();
        TrainIT.waitFor(() -> NODE.ok("GET", "/_tasks/" + task).path("completed").asBoolean(), "the training to end");
        JsonNode result = NODE.ok("GET", "/_tasks/" + task);
        assertEquals(2, result.path("task").path("status").path("iterations").asInt(), "epochs in the task's status: " + result);
        JsonNode trained = result.path("response");
        assertEquals("complete", trained.path("status").asText(), result::toString);
        JsonNode metrics = trained.path("metrics");
        int ratings = InteractionFiles.read(MovieLens.SPLITS.resolve("p4_train.tsv")).size();
        assertEquals(ratings, metrics.path("ratings").path("used").asInt(), metrics::toString);
        assertEquals(0, metrics.path("ratings").path("of_items_without_document").asInt());
        assertEquals(943, metrics.path("user_documents").asInt());
        assertEquals(0, metrics.path("users_without_features").asInt());
        assertEquals(1_682, metrics.path("items").asInt());
        assertEquals(1_682, metrics.path("items_written").asInt());
        assertEquals(32, metrics.path("item_dims").asInt());

        // Scalar and SIMD kernels round differently: the comparison below needs the same ones on both sides.
        assertEquals(FlatVectors.implementation(), metrics.path("kernels").asText());
        MeluParams params = MeluParams.from(PARAMS::get);
        List<Double> offlineLoss = new ArrayList<>();
        offline = MeluPredictions.train(
            InteractionFiles.read(MovieLens.SPLITS.resolve("p4_train.tsv")),
            FEATURES,
            params,
            (epoch, epochs, loss, s) -> offlineLoss.add(loss)
        );
        List<Double> nodeLoss = new ArrayList<>();
        metrics.path("loss").forEach(l -> nodeLoss.add(l.asDouble()));
        assertEquals(offlineLoss, nodeLoss);
        byte[] bytes = MeluModelFormat.toBytes(offline);
        assertEquals(bytes.length, metrics.path("model_bytes").asInt());
        assertEquals(HexFormat.of().formatHex(sha256(bytes)), metrics.path("model_sha256").asText(), "the node's model is the offline one");

        // Every movie carries its embedded features in the served slot, as the offline model computes them.
        JsonNode served = NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0).path("served");
        String field = MODEL + "_embedding_a";
        assertEquals(field, served.path("item_field").asText(), served::toString);
        assertTrue(served.path("user_field").isMissingNode(), served::toString);
        float[] vectors = offline.itemVectors();
        for (String movie : List.of("1", "50", "1682")) {
            JsonNode vector = NODE.ok("GET", "/" + MOVIES + "/_doc/" + movie).path("_source").path(field);
            int row = offline.catalog().indexOf(movie);
            assertEquals(32, vector.size());
            for (int d = 0; d < 32; d++) {
                assertEquals(vectors[row * 32 + d], vector.get(d).floatValue(), "movie " + movie + " dim " + d);
            }
        }
        JsonNode mapping =
            NODE.ok("GET", "/" + MOVIES + "/_mapping/field/" + field).path(MOVIES).path("mappings").path(field).path("mapping").path(field);
        assertEquals("flat", mapping.path("index_options").path("type").asText(), mapping::toString);
        assertTrue(mapping.path("index").asBoolean(), mapping::toString);
    }

    /** A P4 new user: their first support ratings (oldest first) and their features as a request gives them. */
    private record NewUser(String id, List<Rating> ratings, String features) {
        static NewUser first(int ratings) {
            Map<String, List<Rating>> support =
                NewUserSplit.chronological(InteractionFiles.read(MovieLens.SPLITS.resolve("p4_support.tsv")));
            String id = support.keySet().stream().filter(u -> support.get(u).size() >= 20).findFirst().orElseThrow();
            Map<String, List<String>> raw = FEATURES.users().get(id);
            String features = String.format(
                Locale.ROOT,
                "{\"gender\": \"%s\", \"age\": %s, \"occupation\": \"%s\", \"zip\": \"%s\"}",
                raw.get("gender").get(0),
                raw.get("age").get(0),
                raw.get("occupation").get(0),
                raw.get("zip").get(0)
            );
            return new NewUser(id, support.get(id).subList(0, ratings), features);
        }

        String history() {
            return ratings.stream()
                .map(r -> "{\"item\": \"" + r.item() + "\", \"rating\": " + (int) r.rating() + "}")
                .collect(Collectors.joining(", ", "[", "]"));
        }

        /**
         * The offline model's top k for this user, adapted to the ratings or not, the rated items left out either way;
         * ordered as the node orders: by the float score, best first.
         */
        List<String> offlineTop(int k, boolean adapt) {
            Adaptation a = offline.adapt(
                offline.user(FEATURES.users().get(id)),
                adapt ? ratings.stream().map(Rating::item).toArray(String[]::new) : new String[0],
                adapt ? ratingsArray() : new float[0]
            );
            int[] all = new int[offline.catalog().size()];
            Arrays.setAll(all, i -> i);
            float[] predicted = new float[all.length];
            offline.predict(a, all, predicted);
            Set<String> rated = ratings.stream().map(Rating::item).collect(Collectors.toSet());
            return IntStream.range(0, all.length)
                .filter(i -> rated.contains(offline.catalog().id(i)) == false)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -(float) (1 + predicted[i])))
                .limit(k)
                .map(i -> offline.catalog().id(i))
                .toList();
        }

        float[] ratingsArray() {
            float[] r = new float[ratings.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = ratings.get(i).rating();
            }
            return r;
        }
    }

    private static JsonNode recommend(String user, String extra) {
        return NODE.ok(
            "POST",
            "/_recsys/models/" + MODEL + "/_recommend",
            "{\"user\": " + user + ", \"k\": 10, \"num_candidates\": 2000" + extra + "}"
        );
    }

    private static List<String> ids(JsonNode response) {
        List<String> ids = new ArrayList<>();
        response.path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }

    /** The acceptance: five ratings change the ranking, and the node ranks as the offline model does. */
    @Test
    @Order(2)
    @SuppressForbidden(reason = "prints the rankings it compares into the test report")
    void fiveRatingsAdaptTheRankingAsOffline() {
        NewUser user = NewUser.first(5);
        JsonNode adapted = recommend("{\"history\": " + user.history() + ", \"features\": " + user.features() + "}", "");
        JsonNode info = adapted.path("user");
        assertEquals("adapted", info.path("vector").asText(), adapted::toString);
        assertTrue(info.path("adapted").asBoolean(), adapted::toString);
        assertEquals(5, info.path("ratings_used").asInt());
        assertEquals(5, info.path("seen_items").asInt());
        assertEquals(0, info.path("unknown_items").size());
        String rated = user.ratings().stream().map(r -> "\"" + r.item() + "\"").collect(Collectors.joining(", "));
        JsonNode unadapted = recommend(
            "{\"features\": " + user.features() + "}",
            ", \"filter\": {\"bool\": {\"must_not\": {\"ids\": {\"values\": [" + rated + "]}}}}"
        );
        assertEquals("unadapted", unadapted.path("user").path("vector").asText(), unadapted::toString);
        assertFalse(unadapted.path("user").path("adapted").asBoolean());

        List<String> offlineAdapted = user.offlineTop(10, true);
        List<String> offlineUnadapted = user.offlineTop(10, false);
        assertEquals(offlineAdapted, ids(adapted), "the node's ranking for " + user.id() + " after 5 ratings");
        assertEquals(offlineUnadapted, ids(unadapted), "the node's ranking for " + user.id() + " unadapted");
        assertNotEquals(ids(unadapted), ids(adapted), "5 ratings changed nothing");
        System.out.printf(Locale.ROOT, "user %s: unadapted top 10 %s, after 5 ratings %s%n", user.id(), ids(unadapted), ids(adapted));
        // Scores are the predicted ratings.
        Adaptation a = offline.adapt(
            offline.user(FEATURES.users().get(user.id())),
            user.ratings().stream().map(Rating::item).toArray(String[]::new),
            user.ratingsArray()
        );
        float[] first = new float[1];
        offline.predict(a, new int[]{ offline.catalog().indexOf(offlineAdapted.get(0)) }, first);
        assertEquals(first[0], adapted.path("items").get(0).path("score").asDouble(), 1e-6);
    }

    /** The adapted score as a feature of the recsys rescorer, over another model's knn candidates. */
    @Test
    @Order(3)
    void theAdaptedScoreIsARescorerFeature() {
        JsonNode wals = NODE.ok("POST", "/_recsys/models/" + WALS + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s", "weight_field": "rating"}, "items": {"index": "%s"}, "users": {"index": "%s-factors"},
             "params": {"rank": 8, "iterations": 3, "threads": 2}}""", RATINGS, MOVIES, MODEL));
        assertEquals("complete", wals.path("status").asText(), wals::toString);
        NewUser user = NewUser.first(5);
        String body = "{\"user\": {\"history\": "
            + user.history()
            + ", \"features\": "
            + user.features()
            + "}, \"k\": 10, \"num_candidates\": 2000,"
            + " \"fusion\": {\"weights\": [0, 0, 0, 0], \"models\": [{\"model\": \""
            + MODEL
            + "\", \"weight\": 1}], \"window_size\": 2000}, \"explain\": true}";
        JsonNode fused = NODE.ok("POST", "/_recsys/models/" + WALS + "/_recommend", body);
        // Every item is a candidate, so MeLU's score alone orders them as MeLU's own _recommend does.
        assertEquals(user.offlineTop(10, true), ids(fused), fused::toString);
        String explanation = fused.path("items").get(0).path("explanation").asText();
        assertTrue(explanation.contains("contribution of model [" + MODEL + "]"), explanation);
    }

    @Test
    @Order(4)
    void badInputGetsClearAnswers() {
        NewUser user = NewUser.first(5);
        String history = user.history();
        // Unknown items are skipped and counted; the others adapt the model.
        JsonNode unknown = recommend("{\"history\": " + history.replace("[", "[{\"item\": \"no-such-movie\", \"rating\": 4}, ") + "}", "");
        assertEquals(List.of("no-such-movie"), List.of(unknown.path("user").path("unknown_items").get(0).asText()), unknown::toString);
        assertEquals(5, unknown.path("user").path("ratings_used").asInt());
        assertTrue(unknown.path("user").path("adapted").asBoolean());
        // No ratings at all: the unadapted model, and the answer says so.
        JsonNode none = recommend("{\"history\": [{\"item\": \"no-such-movie\", \"rating\": 4}]}", "");
        assertFalse(none.path("user").path("adapted").asBoolean(), none::toString);
        assertEquals("unadapted", none.path("user").path("vector").asText());
        assertEquals(10, none.path("items").size());
        // _user says how the user was resolved (the network itself stays inside the cluster).
        JsonNode resolved = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": {\"history\": " + history + "}}");
        assertEquals("adapted", resolved.path("source").asText(), resolved::toString);
        assertEquals(5, resolved.path("ratings_used").asInt(), resolved::toString);
        // Unknown feature values are skipped and counted.
        JsonNode astronaut = recommend("{\"features\": {\"occupation\": \"astronaut\"}}", "");
        assertEquals(1, astronaut.path("user").path("unknown_feature_values").asInt(), astronaut::toString);

        expectRecommend(
            400,
            "{\"history\": [{\"item\": \"50\", \"rating\": 7}]}",
            "rating [7.0] of item [50] is outside the model's scale [1.0, 5.0]"
        );
        expectRecommend(400, "{\"history\": [{\"item\": \"50\"}]}", "[user.history[0].rating] is required");
        expectRecommend(
            400,
            "{\"features\": {\"shoe_size\": 44}}",
            "unknown user feature [shoe_size]; expected one of [gender, age, occupation, zip]"
        );
        expectRecommend(400, "{\"features\": {\"age\": \"old\"}}", "user feature [age] must be a number, got [old]");
        expectRecommend(
            400,
            "{\"features\": {\"age\": {\"years\": 30}}}",
            "[user.features.age] must be a string, a number, a boolean or an array of them"
        );
        expectRecommend(400, "{\"id\": \"1\"}", "[user.id] alone says neither");
        TestNode.Reply missing =
            NODE.call("POST", "/_recsys/models/no-such-model/_recommend", "{\"user\": {\"history\": " + history + "}}");
        assertEquals(404, missing.status(), missing::text);
        assertTrue(missing.text().contains("model [no-such-model] does not exist"), missing::text);
    }

    private static void expectRecommend(int status, String user, String message) {
        TestNode.Reply reply = NODE.call("POST", "/_recsys/models/" + MODEL + "/_recommend", "{\"user\": " + user + "}");
        assertEquals(status, reply.status(), () -> user + " answered " + reply.text());
        assertTrue(reply.text().contains(message), () -> user + " answered " + reply.text() + ", which does not say " + message);
    }

    @Test
    @Order(5)
    void badRequestsGetClearErrors() {
        expect(400, request("").replace("\"weight_field\": \"rating\", ", ""), "[interactions.weight_field] is required");
        expect(
            400,
            request("").replace("{\"name\": \"year\"}", "{\"name\": \"year\", \"field\": \"released\"}"),
            "[items.features[1].field] [released] is not mapped in index [" + MOVIES + "]"
        );
        expect(400, request(", \"local_lr\": -1"), "[local_lr] is [-1.0]; it must be finite and >= 0");
        expect(400, request(", \"rank\": 8"), "[params] unknown field [rank]");
        expect(400, request(", \"meta_gradient\": \"third\""), "[meta_gradient] is [third]; it must be one of [first, second]");
        expect(400, request(", \"min_rating\": 6, \"max_rating\": 10"), "no ratings to train on");
        expect(
            400,
            request("").replace("{\"name\": \"zip\", \"prefix\": 2}", "{\"name\": \"zip\", \"prefix\": 2, \"split\": \"-\"}"),
            "are not allowed together"
        );
        expect(404, request("").replace("\"index\": \"" + USERS + "\"", "\"index\": \"no-such-users\""), "no such index [no-such-users]");
        expect(
            400,
            request("").replace("{\"name\": \"gender\"}", "{\"name\": \"gender\", \"field\": \"gender\"}, {\"name\": \"gender\"}"),
            "user feature [gender] is named twice"
        );
        // A model keeps its type.
        TestNode.Reply wals = NODE.call(
            "POST",
            "/_recsys/models/" + MODEL + "/_train",
            "{\"interactions\": {\"index\": \""
                + RATINGS
                + "\"}, \"items\": {\"index\": \""
                + MOVIES
                + "\"}, \"users\": {\"index\": \""
                + USERS
                + "\"}}"
        );
        assertEquals(409, wals.status(), wals::text);
        assertTrue(wals.text().contains("is a [melu] model; it cannot be trained as [wals]"), wals::text);
        // A melu model gives no user vectors to knn and is not evaluated as a top-N model.
        TestNode.Reply knn = NODE.call(
            "POST",
            "/" + MOVIES + "/_search",
            String.format(
                Locale.ROOT,
                """
                    {"knn": {"field": "%s_embedding_a", "k": 5, "num_candidates": 10,
                     "query_vector_builder": {"recsys_user": {"model": "%s", "user": {"history": [{"item": "50", "rating": 5}]}}}}}""",
                MODEL,
                MODEL
            )
        );
        assertEquals(400, knn.status(), knn::text);
        assertTrue(knn.text().contains("model [" + MODEL + "] gives no query vector for [knn]"), knn::text);
        assertEquals(1, NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0).path("served").path("version").asInt());
    }

    private static void expect(int status, String body, String message) {
        TestNode.Reply reply = NODE.call("POST", "/_recsys/models/" + MODEL + "/_train", body);
        assertEquals(status, reply.status(), () -> body + " answered " + reply.text());
        assertTrue(reply.text().contains(message), () -> body + " answered " + reply.text() + ", which does not say " + message);
    }

    private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}

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
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluModelFormat;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.vector.FlatVectors;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    /** Small, so that the test stays quick; every other parameter is the default. */
    private static final Map<String, String> PARAMS = Map.of("embedding_dim", "8", "hidden1", "16", "hidden2", "16", "local_steps", "2", "epochs", "2", "threads", "2");
    private static final MovieLensFeatures FEATURES = MovieLensFeatures.read(MovieLens.SHARED.resolve("datasets/ml-100k"));

    private static String request(String extraParams) {
        return """
            {
              "type": "melu",
              "interactions": {"index": "%s", "weight_field": "rating", "timestamp_field": "timestamp"},
              "items": {"index": "%s", "features": [
                {"name": "genres"}, {"name": "year"}, {"name": "director", "split": ","}, {"name": "actors", "field": "cast", "split": ","}]},
              "users": {"index": "%s", "features": [
                {"name": "gender"}, {"name": "age", "buckets": [18, 25, 35, 45, 50, 56]}, {"name": "occupation"}, {"name": "zip", "prefix": 2}]},
              "params": {"embedding_dim": 8, "hidden1": 16, "hidden2": 16, "local_steps": 2, "epochs": 2, "threads": 2%s}
            }""".formatted(RATINGS, MOVIES, USERS, extraParams);
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
        for (String index : List.of(RATINGS, USERS, MOVIES)) {
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
        MeluModel offline = MeluPredictions.train(
            InteractionFiles.read(MovieLens.SPLITS.resolve("p4_train.tsv")), FEATURES, params, (epoch, epochs, loss, s) -> offlineLoss.add(loss)
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
        JsonNode mapping = NODE.ok("GET", "/" + MOVIES + "/_mapping/field/" + field).path(MOVIES).path("mappings").path(field).path("mapping").path(field);
        assertEquals("flat", mapping.path("index_options").path("type").asText(), mapping::toString);
        assertTrue(mapping.path("index").asBoolean(), mapping::toString);
    }

    @Test
    @Order(2)
    void badRequestsGetClearErrors() {
        expect(400, request("").replace("\"weight_field\": \"rating\", ", ""), "[interactions.weight_field] is required");
        expect(400, request("").replace("{\"name\": \"year\"}", "{\"name\": \"year\", \"field\": \"released\"}"),
            "[items.features[1].field] [released] is not mapped in index [" + MOVIES + "]");
        expect(400, request(", \"local_lr\": -1"), "[local_lr] is [-1.0]; it must be finite and >= 0");
        expect(400, request(", \"rank\": 8"), "unknown field [params.rank]");
        expect(400, request(", \"meta_gradient\": \"third\""), "[meta_gradient] is [third]; it must be one of [first, second]");
        expect(400, request(", \"min_rating\": 6, \"max_rating\": 10"), "no ratings to train on");
        expect(400, request("").replace("{\"name\": \"zip\", \"prefix\": 2}", "{\"name\": \"zip\", \"prefix\": 2, \"split\": \"-\"}"),
            "[users.features[3]] has more than one of [split, prefix, buckets]");
        expect(404, request("").replace("\"index\": \"" + USERS + "\"", "\"index\": \"no-such-users\""), "no such index [no-such-users]");
        expect(400, request("").replace("{\"name\": \"gender\"}", "{\"name\": \"gender\", \"field\": \"gender\"}, {\"name\": \"gender\"}"),
            "user feature [gender] is named twice");
        // A model keeps its type.
        TestNode.Reply wals = NODE.call("POST", "/_recsys/models/" + MODEL + "/_train",
            "{\"interactions\": {\"index\": \"" + RATINGS + "\"}, \"items\": {\"index\": \"" + MOVIES + "\"}, \"users\": {\"index\": \"" + USERS + "\"}}");
        assertEquals(409, wals.status(), wals::text);
        assertTrue(wals.text().contains("is a [melu] model; it cannot be trained as [wals]"), wals::text);
        // A melu model gives no user vectors to knn and is not evaluated as a top-N model.
        TestNode.Reply knn = NODE.call("POST", "/" + MOVIES + "/_search", """
            {"knn": {"field": "%s_embedding_a", "k": 5, "num_candidates": 10,
             "query_vector_builder": {"recsys_user": {"model": "%s", "user": {"history": [{"item": "50", "rating": 5}]}}}}}"""
            .formatted(MODEL, MODEL));
        assertEquals(400, knn.status(), knn::text);
        assertTrue(knn.text().contains("[melu] model"), knn::text);
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

package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.test.ESTestCase;
import org.recsys.core.melu.FeatureField;
import org.recsys.core.melu.FeatureSchema;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.melu.MetaGradient;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class MeluTrainingSpecTests extends ESTestCase {

    /** MovieLens's features as a request names them. */
    private static Map<String, Object> body() {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "melu");
        body.put("interactions", new HashMap<>(Map.of("index", "ratings", "weight_field", "rating", "timestamp_field", "timestamp")));
        body.put(
            "items",
            new HashMap<>(
                Map.of(
                    "index",
                    "movies",
                    "features",
                    List.of(
                        Map.of("name", "genres"),
                        Map.of("name", "year"),
                        Map.of("name", "director", "split", ","),
                        Map.of("name", "actors", "field", "cast", "split", ",")
                    )
                )
            )
        );
        body.put(
            "users",
            new HashMap<>(
                Map.of(
                    "index",
                    "people",
                    "id_field",
                    "user_id",
                    "features",
                    List.of(
                        Map.of("name", "gender"),
                        Map.of("name", "age", "buckets", List.of(18, 25, 35, 45, 50, 56)),
                        Map.of("name", "occupation"),
                        Map.of("name", "zip", "prefix", 2)
                    )
                )
            )
        );
        return body;
    }

    public void testDefaultsAreTheTunedOfflineOnesAndTheFeaturesMovieLens() {
        MeluTrainingSpec spec = (MeluTrainingSpec) TrainingSpecs.parse("ml", body(), 3);
        assertEquals(MeluParams.defaults().withThreads(3), spec.params());
        assertEquals(FeatureSchema.MOVIELENS, spec.schema());
        assertEquals("cast", spec.items().features().get(3).field());
        assertEquals("ml_embedding_b", spec.itemTarget().field("b"));
        assertEquals("user_id", spec.users().idField());
        assertEquals(List.of("genres", "year", "director", "cast"), spec.items().sourceFields());
    }

    public void testRoundTripsOverTheWireAndThroughTheStore() throws IOException {
        Map<String, Object> body = body();
        body.put(
            "params",
            new HashMap<>(Map.of("epochs", 2, "local_lr", 0.01, "meta_gradient", "second", "seed", 9, "min_rating", 0, "max_rating", 10))
        );
        MeluTrainingSpec spec = (MeluTrainingSpec) TrainingSpecs.parse("ml", body, 2);
        assertEquals(MetaGradient.SECOND_ORDER, spec.params().metaGradient());
        assertEquals(0.01f, spec.params().localLr(), 0f);
        assertEquals(2, spec.params().threads());
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            spec.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(spec, new MeluTrainingSpec(in));
            }
        }
        assertEquals(spec, TrainingSpecs.parse("ml", TrainingSpecs.toMap(spec), 1));
    }

    public void testWithoutUsersTheModelHasItemFeaturesOnly() {
        Map<String, Object> body = body();
        body.remove("users");
        MeluTrainingSpec spec = (MeluTrainingSpec) TrainingSpecs.parse("ml", body, 1);
        assertNull(spec.users());
        assertEquals(List.of(), spec.schema().of(FeatureField.Side.USER));
    }

    public void testRefusesWhatItCannotUse() {
        assertMessage(Map.of("type", "bpr"), "[type] is [bpr]; expected one of [melu, sequential, wals]");
        assertMessage(Map.of("interactions", Map.of("index", "r", "timestamp_field", "t")), "[interactions.weight_field] is required");
        assertMessage(Map.of("interactions", Map.of("index", "r", "weight_field", "w")), "[interactions.timestamp_field] is required");
        assertMessage(Map.of("params", Map.of("rank", 8)), "[params] unknown field [rank]");
        assertMessage(Map.of("params", Map.of("local_steps", -1)), "[local_steps] is [-1]; it must be between 0 and 100");
        assertMessage(Map.of("params", Map.of("local_lr", "fast")), "[local_lr] is [fast]; it must be a number");
        assertMessage(Map.of("params", Map.of("epochs", 1.5)), "[epochs] is [1.5]; it must be an integer");
        assertMessage(Map.of("params", Map.of("meta_gradient", "third")), "[meta_gradient] is [third]");
        assertMessage(
            Map.of("params", Map.of("min_rating", 5, "max_rating", 5)),
            "[max_rating] is [5.0]; it must be finite and above min_rating [5.0]"
        );
        assertMessage(Map.of("params", Map.of("batch_size", List.of(1))), "[params.batch_size] must be a number or a string");
        assertMessage(
            Map.of(
                "params",
                Map.of("embedding_dim", 1000),
                "items",
                Map.of(
                    "index",
                    "m",
                    "features",
                    List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c"), Map.of("name", "d"), Map.of("name", "e"))
                )
            ),
            "items' vectors would have 5000 dims"
        );
        assertMessage(Map.of("params", Map.of("embedding_dim", 1025)), "[embedding_dim] is [1025]; it must be between 1 and 1024");
        assertMessage(Map.of("items", Map.of("index", "m")), "[items.features] is required");
        assertMessage(Map.of("items", Map.of("index", "m", "features", List.of(Map.of("field", "g")))), "Required [name]");
        assertMessage(
            Map.of("items", Map.of("index", "m", "features", List.of(Map.of("name", "g", "prefix", 0)))),
            "[items.features] [g] [prefix] is [0]; it must be at least 1"
        );
        assertMessage(
            Map.of("items", Map.of("index", "m", "features", List.of(Map.of("name", "g", "prefix", 2, "split", ",")))),
            "are not allowed together"
        );
        assertMessage(
            Map.of("items", Map.of("index", "m", "features", List.of(Map.of("name", "g", "buckets", List.of(3, 1))))),
            "[items.features] [g] [buckets] must be finite numbers in ascending order"
        );
        assertMessage(
            Map.of("items", Map.of("index", "m", "features", List.of(Map.of("name", "g"), Map.of("name", "g", "field", "h")))),
            "item feature [g] is named twice"
        );
        assertMessage(
            Map.of("items", Map.of("index", "m", "vector_field", "_x", "features", List.of(Map.of("name", "g")))),
            "must not start with '_'"
        );
        assertMessage(Map.of("users", Map.of("index", "u", "features", List.of())), "[users.features] is required");
    }

    private static void assertMessage(Map<String, Object> change, String message) {
        Map<String, Object> body = body();
        body.putAll(change);
        String messages = TrainingSpecTests.messages(expectThrows(RuntimeException.class, () -> TrainingSpecs.parse("ml", body, 1)));
        assertTrue(messages + " does not contain " + message, messages.contains(message));
    }
}

package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.test.ESTestCase;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.wals.Confidence;
import org.recsys.core.wals.Solver;
import org.recsys.core.wals.WalsParams;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class TrainingSpecTests extends ESTestCase {

    private static Map<String, Object> body() {
        Map<String, Object> body = new HashMap<>();
        body.put(
            "interactions",
            new HashMap<>(Map.of("index", "ratings", "weight_field", "rating", "query", Map.of("term", Map.of("kind", "view"))))
        );
        body.put("items", new HashMap<>(Map.of("index", "movies")));
        body.put("users", new HashMap<>(Map.of("index", "people", "id_field", "user_id", "vector_field", "taste")));
        return body;
    }

    public void testDefaultsAreTheTunedOfflineOnes() {
        WalsTrainingSpec spec = (WalsTrainingSpec) TrainingSpecs.parse("ml", body(), 3);
        WalsParams expected = WalsParams.builder().threads(3).build();
        assertEquals(expected, spec.params());
        assertEquals("user_id", spec.interactions().userField());
        assertEquals("item_id", spec.interactions().itemField());
        assertEquals("ml_factor_a", spec.items().field("a"));
        assertTrue(spec.items().idIsDocumentId());
        assertEquals("taste_b", spec.users().field("b"));
        assertFalse(spec.users().idIsDocumentId());
        assertEquals("{\"term\":{\"kind\":\"view\"}}", spec.interactions().queryJson());
    }

    public void testRoundTripsOverTheWireAndThroughTheStore() throws IOException {
        Map<String, Object> body = body();
        body.put("params", new HashMap<>(Map.of("rank", 16, "lambda", 0.5, "confidence", "linear", "solver", "cholesky", "seed", 9)));
        WalsTrainingSpec spec = (WalsTrainingSpec) TrainingSpecs.parse("ml", body, 2);
        assertEquals(Confidence.LINEAR, spec.params().confidence());
        assertEquals(Solver.CHOLESKY, spec.params().solver());
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            spec.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(spec, new WalsTrainingSpec(in));
            }
        }
    }

    public void testTuneRoundTripsAndItsStoredSpecParsesAgainWithTheSameSearch() throws IOException {
        Map<String, Object> body = body();
        body.put("params", new HashMap<>(Map.of("rank", 16, "threads", 2)));
        body.put(
            "tune",
            new HashMap<>(Map.of("trials", 12, "max_seconds", 60, "validation_share", 0.2, "space", Map.of("lambda", List.of(1, 100))))
        );
        WalsTrainingSpec spec = (WalsTrainingSpec) TrainingSpecs.parse("ml", body, 2);
        assertEquals(java.util.Set.of("rank"), spec.tune().fixed());
        assertEquals(12, spec.tune().settings().trials());
        assertEquals(
            List.of("iterations", "lambda", "alpha", "confidence", "epsilon", "user_weight_exponent", "user_lambda_exponent"),
            List.copyOf(spec.tune().searchSpace().values(spec.params()).keySet())
        );
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            spec.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(spec, new WalsTrainingSpec(in));
            }
        }
        // The stored spec keeps only the fixed parameters, so that it parses again into the same search.
        Map<String, Object> stored = TrainingSpecs.toMap(spec);
        assertEquals(Map.of("rank", 16, "w0", 1.0, "solver", "cg", "cg_steps", 2, "threads", 2, "seed", 42), stored.get("params"));
        WalsTrainingSpec again = (WalsTrainingSpec) TrainingSpecs.parse("ml", stored, 2);
        assertEquals(spec.tune().searchSpace().toMap(), again.tune().searchSpace().toMap());
    }

    public void testBadTuneNamesTheField() {
        assertMessage(
            "ml",
            Map.of("tune", Map.of("space", Map.of("rnk", List.of(8, 16)))),
            "[tune.space.rnk] is not a parameter that can be searched"
        );
        assertMessage("ml", Map.of("tune", Map.of("space", Map.of("lambda", List.of(100, 1)))), "[tune.space.lambda] is the empty range");
        assertMessage("ml", Map.of("tune", Map.of("trials", 0)), "[tune.trials] is [0]; it must be at least 1");
        assertMessage("ml", Map.of("tune", Map.of("max_seconds", 0)), "[tune.max_seconds] is [0.0]; it must be > 0");
        assertMessage("ml", Map.of("tune", Map.of("validation_share", 0.6)), "[tune.validation_share] is [0.6");
        assertMessage("ml", Map.of("tune", Map.of("metric", "auc@10")), "[tune.metric] is [auc@10]");
        assertMessage("ml", Map.of("tune", Map.of("budget", 3)), "[tune] unknown field [budget]");
        assertMessage(
            "ml",
            Map.of("params", Map.of("alpha", 2), "tune", Map.of("space", Map.of("alpha", List.of(1, 10)))),
            "[tune.space.alpha] is searched but [params.alpha] fixes it"
        );
    }

    public void testRefusesWhatItCannotUse() {
        assertMessage("ml", Map.of("type", "bpr"), "[type] is [bpr]; expected one of [melu, sequential, wals]");
        assertMessage("ml", Map.of("interactions", Map.of("index", "r", "user", "u")), "[interactions] unknown field [user]");
        assertMessage("ml", Map.of("params", Map.of("rank", "big")), "[params.rank] must be an integer, got [big]");
        assertMessage("ml", Map.of("params", Map.of("iterations", 0)), "[iterations] is [0]; it must be between 1 and 1000");
        assertMessage(
            "ml",
            Map.of("params", Map.of("user_weight_exponent", -1)),
            "[user_weight_exponent] is [-1.0]; it must be between 0 and 1"
        );
        assertMessage(
            "ml",
            Map.of("params", Map.of("user_lambda_exponent", 1.5)),
            "[user_lambda_exponent] is [1.5]; it must be between 0 and 1"
        );
        assertMessage(
            "ml",
            Map.of("tune", Map.of("space", Map.of("user_lambda_exponent", List.of(0, 2)))),
            "[tune.space.user_lambda_exponent] is [0.0, 2.0]; expected numbers in 0.0..1.0"
        );
        assertMessage("ml", Map.of("params", Map.of("alpha", Double.NaN)), "[params.alpha] must be a finite number");
        assertMessage("ml", Map.of("items", List.of("movies")), "items doesn't support values of type: START_ARRAY");
        assertMessage("ml", Map.of("items", Map.of("index", "m", "vector_field", "a.b")), "must not start with '_' or contain '.'");
        assertMessage("ML", Map.of(), "model id [ML] must be 1 to 64 lowercase letters");
        assertMessage("ml", Map.of("type", "svd"), "[type] is [svd]; expected one of [melu, sequential, wals]");
        Map<String, Object> noItems = body();
        noItems.remove("items");
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> TrainingSpecs.parse("ml", noItems, 1));
        assertEquals("Required one of fields [items], but none were specified.", e.getMessage());
    }

    /** With a projection the fusion is the hybrid one: its fields and defaults, and round trips with them. */
    public void testHybridFusionNeedsAProjectionAndReadsProjected() throws IOException {
        Map<String, Object> body = body();
        body.put("projection", new HashMap<>(Map.of("text_field", "text")));
        body.put("content", new HashMap<>(Map.of("text_field", "text")));
        body.put("fusion", new HashMap<>(Map.of("reserved", 10, "warm_floor", 0.8)));
        WalsTrainingSpec spec = (WalsTrainingSpec) TrainingSpecs.parse("ml", body, 2);
        assertEquals(10, spec.fusion().reserved());
        assertEquals(0.8, spec.fusion().warmFloor(), 1e-6);
        assertTrue(spec.fusion().uses(FusionFeature.PROJECTED));
        assertTrue(spec.fusion().uses(FusionFeature.CONTENT));
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            spec.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(spec, new WalsTrainingSpec(in));
            }
        }

        assertMessage("ml", Map.of("fusion", Map.of("reserved", 5)), "[fusion.reserved] needs [projection]");
        assertMessage(
            "ml",
            Map.of("fusion", Map.of("features", List.of("collaborative", "projected"))),
            "[fusion.features] names [projected]; it needs [projection]"
        );
        Map<String, Object> projected = Map.of("projection", Map.of("text_field", "text"));
        Map<String, Object> change = new HashMap<>(projected);
        change.put("fusion", Map.of("features", List.of("collaborative")));
        assertMessage("ml", change, "[fusion.features] must name [projected] with [projection]");
        change.put("fusion", Map.of("warm_floor", 2));
        assertMessage("ml", change, "[fusion.warm_floor] is [2.0]; it must be between 0 and 1");
        change.put("fusion", Map.of("reserved", -1));
        assertMessage("ml", change, "[fusion.reserved] is [-1]");
        change.put("content", Map.of("text_field", "other"));
        change.put("fusion", Map.of());
        assertMessage("ml", change, "a fusion that reads [content] beside [projection] needs them to be the same field");
    }

    /** A fine-tuned encoder's factor field round trips, is never empty and cannot be searched over by {@code tune}. */
    public void testFactorFieldRoundTripsAndRefusesTune() throws IOException {
        Map<String, Object> body = body();
        body.put("projection", new HashMap<>(Map.of("text_field", "text", "factor_field", "tuned_factor")));
        WalsTrainingSpec spec = (WalsTrainingSpec) TrainingSpecs.parse("ml", body, 2);
        assertEquals("tuned_factor", spec.projection().factorField());
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            spec.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(spec, new WalsTrainingSpec(in));
            }
        }
        assertNull(((WalsTrainingSpec) TrainingSpecs.parse("ml", body(), 2)).projection());
        Map<String, Object> change = new HashMap<>(Map.of("projection", Map.of("text_field", "text", "factor_field", "")));
        assertMessage("ml", change, "[projection.factor_field] must be a non-empty string");
        change.put("projection", Map.of("text_field", "text", "factor_field", "tuned_factor"));
        change.put("tune", Map.of());
        assertMessage(
            "ml",
            change,
            "[projection.factor_field] holds factors fitted to one model's space and cannot be combined with [tune]"
        );
    }

    /**
     * An error's message and its causes': an {@code ObjectParser} names the field that failed at its position and
     * keeps the reason as the cause, and the REST answer shows both.
     */
    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }

    private static void assertMessage(String id, Map<String, Object> change, String message) {
        Map<String, Object> body = body();
        body.putAll(change);
        String messages = TrainingSpecTests.messages(expectThrows(RuntimeException.class, () -> TrainingSpecs.parse(id, body, 1)));
        assertTrue(messages + " does not contain " + message, messages.contains(message));
    }
}

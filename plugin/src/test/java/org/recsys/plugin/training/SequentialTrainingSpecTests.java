package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.test.ESTestCase;
import org.recsys.core.sequential.SequentialParams;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

public class SequentialTrainingSpecTests extends ESTestCase {

    private static Map<String, Object> body() {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "sequential");
        body.put("interactions", new HashMap<>(Map.of("index", "ratings", "timestamp_field", "timestamp")));
        body.put("items", new HashMap<>(Map.of("index", "movies")));
        return body;
    }

    public void testDefaultsAreCoresAndThreadsTheNodes() {
        SequentialTrainingSpec spec = (SequentialTrainingSpec) TrainingSpecs.parse("seq", body(), 3);
        assertEquals(SequentialParams.defaults(), spec.params());
        assertEquals(3, spec.threads());
        assertEquals("seq_factor_b", spec.items().field("b"));
        assertEquals("timestamp", spec.interactions().timestampField());
    }

    public void testRoundTripsOverTheWireAndThroughTheStore() throws IOException {
        Map<String, Object> body = body();
        body.put(
            "params",
            new HashMap<>(
                Map.of(
                    "hidden",
                    16,
                    "layers",
                    1,
                    "max_length",
                    50,
                    "dropout",
                    0.1,
                    "every_masked",
                    false,
                    "seed",
                    7,
                    "threads",
                    2,
                    "causal",
                    true,
                    "negatives",
                    300
                )
            )
        );
        SequentialTrainingSpec spec = (SequentialTrainingSpec) TrainingSpecs.parse("seq", body, 1);
        assertEquals(16, spec.params().hidden());
        assertEquals(0.1f, spec.params().dropout(), 0f);
        assertFalse(spec.params().everyMasked());
        assertEquals(7L, spec.params().seed());
        assertTrue(spec.params().causal());
        assertEquals(300, spec.params().negatives());
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            spec.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(spec, new SequentialTrainingSpec(in));
            }
        }
        // What a version records is read back by every node that serves it.
        assertEquals(spec, TrainingSpecs.parse("seq", TrainingSpecs.toMap(spec), 1));
    }

    public void testRefusesWhatItCannotUse() {
        assertMessage(Map.of("interactions", Map.of("index", "r")), "[interactions.timestamp_field] is required for a [sequential] model");
        assertMessage(
            Map.of("interactions", Map.of("index", "r", "timestamp_field", "t", "weight_field", "rating")),
            "[interactions.weight_field] is not used by a [sequential] model"
        );
        assertMessage(Map.of("users", Map.of("index", "u")), "unknown field [users]");
        assertMessage(Map.of("params", Map.of("rank", 8)), "[params] unknown field [rank]");
        assertMessage(Map.of("params", Map.of("max_length", 5000)), "[params.max_length] is [5000]; it must be between 2 and 2048");
        assertMessage(Map.of("params", Map.of("max_length", 1)), "max_length must be at least 2");
        assertMessage(Map.of("params", Map.of("hidden", 10, "heads", 3)), "with hidden a multiple of heads");
        assertMessage(Map.of("params", Map.of("mask_probability", 1.5)), "mask_probability must be in [0, 1), got [1.5]");
        assertMessage(Map.of("params", Map.of("threads", 0)), "[params.threads] is [0]; it must be between 1 and 256");
        assertMessage(Map.of("params", Map.of("every_masked", "yes")), "[params.every_masked] must be true or false, got [yes]");
        assertMessage(Map.of("params", Map.of("causal", "yes")), "[params.causal] must be true or false, got [yes]");
        assertMessage(Map.of("params", Map.of("negatives", -1)), "negatives must be zero or positive, got [-1]");
        assertMessage(
            Map.of("params", Map.of("negatives", 2_000_000)),
            "[params.negatives] is [2000000]; it must be between 0 and 1000000"
        );
    }

    private static void assertMessage(Map<String, Object> change, String message) {
        Map<String, Object> body = body();
        body.putAll(change);
        String messages = TrainingSpecTests.messages(expectThrows(RuntimeException.class, () -> TrainingSpecs.parse("seq", body, 1)));
        assertTrue(messages + " does not contain " + message, messages.contains(message));
    }
}

package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recsys.core.encoder.EncoderFineTuning;
import org.recsys.core.encoder.Pooling;
import org.recsys.core.encoder.TextEncoder;
import org.recsys.core.encoder.TextTokenizer;
import org.recsys.core.eval.CatalogueTexts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fine-tuned encoder directory (the node's tiny BERT tuned with a projection head by {@link EncoderFineTuning},
 * as {@code scripts/recsys finetune} does, written into the node's {@code config/recsys-models/}) registered on a
 * real node: ingest through {@code text_vector} writes the head's factors, the same as the directory gives offline.
 */
@ExtendWith(NodeLogOnFailure.class)
class FineTunedEncoderIT {

    private static final TestNode NODE = TestNode.get();
    private static final String INDEX = "fine-tuned-encoder-it";
    private static final String ENCODER = "tiny-bert-tuned";
    private static final int RANK = 8;
    private static final int MAX_TOKENS = 32;
    private static final Path ITEMS = Path.of(System.getProperty("tests.shared.dir"), "datasets/ml-100k/items_text.jsonl");
    private static final Map<String, String> TEXTS = CatalogueTexts.read(ITEMS, List.of("title", "genres", "plot"), "\n");
    private static final List<String> IDS = new ArrayList<>(TEXTS.keySet()).subList(0, 24);

    private static Path tuned;

    @BeforeAll
    static void tuneRegisterAndIngest() throws IOException {
        Path models = NODE.home().resolve("config/recsys-models");
        tuned = models.resolve(ENCODER);
        tune(models.resolve("tiny-bert"), tuned);

        NODE.ok(
            "PUT",
            "/_recsys/encoders/" + ENCODER,
            "{\"path\": \"" + ENCODER + "\", \"normalize\": false, \"max_seq_length\": " + MAX_TOKENS + "}"
        );
        NODE.ok(
            "PUT",
            "/_ingest/pipeline/" + ENCODER,
            """
                {"processors": [{"text_vector": {"fields": ["title", "genres", "plot"], "target_field": "factor", "encoder": "tiny-bert-tuned"}}]}"""
        );
        NODE.call("DELETE", "/" + INDEX);
        NODE.ok("PUT", "/" + INDEX, "{\"mappings\": {\"properties\": {\"factor\": {\"type\": \"dense_vector\", \"dims\": " + RANK + "}}}}");
        StringBuilder bulk = new StringBuilder();
        for (String line : Files.readAllLines(ITEMS)) {
            JsonNode item = TestNode.JSON.readTree(line);
            if (IDS.contains(item.path("item_id").asText())) {
                bulk.append("{\"index\": {\"_id\": \"").append(item.path("item_id").asText()).append("\"}}\n").append(item).append('\n');
            }
        }
        JsonNode response = NODE.ok("POST", "/" + INDEX + "/_bulk?pipeline=" + ENCODER + "&refresh=true", bulk.toString());
        assertTrue(response.path("errors").asBoolean() == false, response.toString());
    }

    /** A few Adam steps of the tiny BERT with a head of rank 8 towards random factors, saved as a new directory. */
    private static void tune(Path source, Path out) throws IOException {
        long[][] ids;
        try (TextTokenizer tokenizer = TextTokenizer.load(source.resolve("tokenizer.json"), 48)) {
            ids = IDS.stream().map(i -> tokenizer.encode(TEXTS.get(i), MAX_TOKENS).ids()).toArray(long[][]::new);
        }
        Random random = new Random(3);
        float[] targets = new float[ids.length * RANK];
        float[] weights = new float[ids.length];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = (float) random.nextGaussian();
        }
        Arrays.fill(weights, 1f);
        try (EncoderFineTuning tuning = EncoderFineTuning.load(source, Pooling.MEAN, 1e-3f, 1)) {
            float[] head = new float[(tuning.hidden() + 1) * RANK];
            for (int i = 0; i < head.length; i++) {
                head[i] = (float) random.nextGaussian() * 0.1f;
            }
            tuning.initHead(head, RANK);
            for (int s = 0; s < 5; s++) {
                tuning.step(ids, targets, weights);
            }
            tuning.save(out);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        NODE.call("DELETE", "/" + INDEX);
        NODE.call("DELETE", "/_ingest/pipeline/" + ENCODER);
        NODE.call("DELETE", "/_recsys/encoders/" + ENCODER);
        NODE.call("DELETE", "/_recsys/encoders/bad-head");
    }

    @Test
    void ingestWritesTheHeadsFactorsAsTheDirectoryGivesThemOffline() throws IOException {
        try (TextEncoder offline = TextEncoder.load(tuned, 1)) {
            assertEquals(RANK, offline.dimension());
            float[][] expected = offline.encode(IDS.stream().map(TEXTS::get).toList(), Pooling.MEAN, false, MAX_TOKENS).vectors();
            for (int i = 0; i < IDS.size(); i++) {
                JsonNode factor = NODE.ok("GET", "/" + INDEX + "/_doc/" + IDS.get(i)).path("_source").path("factor");
                assertEquals(RANK, factor.size(), factor.toString());
                for (int c = 0; c < RANK; c++) {
                    assertEquals(expected[i][c], factor.get(c).asDouble(), 1e-4, IDS.get(i) + "[" + c + "]");
                }
            }
            // Not unit vectors: the head's output is a factor, and normalize is off.
            double norm = 0;
            for (float x : expected[0]) {
                norm += x * x;
            }
            assertTrue(Math.abs(Math.sqrt(norm) - 1) > 1e-2, "norm " + Math.sqrt(norm));
        }
    }

    @Test
    void aCorruptHeadIsRefusedWithA400NamingTheFile() throws IOException {
        Path bad = Files.createDirectories(NODE.home().resolve("config/recsys-models/bad-head"));
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            Files.copy(tuned.resolve(f), bad.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(bad.resolve("projection_head.safetensors"), "not a head");
        TestNode.Reply reply = NODE.call("PUT", "/_recsys/encoders/bad-head", "{\"path\": \"bad-head\"}");
        assertEquals(400, reply.status(), reply.text());
        assertTrue(reply.text().contains("projection_head.safetensors"), reply.text());
    }

    @Test
    void aHeadRegisteredToBeNormalisedIsRefused() {
        TestNode.Reply reply = NODE.call("PUT", "/_recsys/encoders/" + ENCODER + "-unit", "{\"path\": \"" + ENCODER + "\"}");
        assertEquals(400, reply.status(), reply.text());
        assertTrue(
            reply.text().contains("has a projection head, whose vectors are factors: register it with [normalize] false"),
            reply.text()
        );
    }

    @Test
    void aPipelineThatWouldNormaliseTheFactorsIsRefused() {
        TestNode.Reply reply = NODE.call(
            "PUT",
            "/_ingest/pipeline/" + ENCODER + "-unit",
            """
                {"processors": [{"text_vector": {"fields": ["title"], "target_field": "factor", "encoder": "tiny-bert-tuned", "normalize": true}}]}"""
        );
        assertEquals(400, reply.status(), reply.text());
        assertTrue(reply.text().contains("has a projection head, whose vectors are factors: they cannot be normalised"), reply.text());
    }

    @Test
    void loadingTheTunedDirectoryWasRefusedNothing() throws IOException {
        JsonNode stats = NODE.ok("GET", "/_recsys/encoders/_stats").path("encoders").path(ENCODER);
        assertTrue(stats.path("loaded").asBoolean(), stats.toString());
        assertEquals(IDS.size(), stats.path("documents").asLong(), stats.toString());
        List<String> refusals = PluginInstalledIT.refusalsAndErrors(NODE);
        assertTrue(refusals.isEmpty(), "entitlement refusals or errors in " + NODE.log() + ": " + refusals);
    }
}

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
import org.recsys.core.eval.Rating;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
    private static final String MODEL = "fine-tuned-it";
    private static final String INTERACTIONS = INDEX + "-interactions";
    private static final String USERS = INDEX + "-users";
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

        // Interactions with the first 16 items only: the other 8 are new arrivals with nothing but their text.
        List<Rating> rows = new ArrayList<>();
        Random random = new Random(5);
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 16; i++) {
                if (random.nextInt(3) == 0 || i == u % 16) {
                    rows.add(new Rating("u" + u, IDS.get(i), 1, 0));
                }
            }
        }
        MovieLens.loadInteractions(NODE, INTERACTIONS, rows, "keyword");
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
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        for (String index : List.of(INDEX, INTERACTIONS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
        NODE.call("DELETE", "/_ingest/pipeline/" + ENCODER);
        NODE.call("DELETE", "/_ingest/pipeline/" + ENCODER + "-arrivals");
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
        // The catalogue, and the new arrival when its test ran first.
        assertTrue(stats.path("documents").asLong() >= IDS.size(), stats.toString());
        List<String> refusals = PluginInstalledIT.refusalsAndErrors(NODE);
        assertTrue(refusals.isEmpty(), "entitlement refusals or errors in " + NODE.log() + ": " + refusals);
    }

    /**
     * {@code projection.factor_field}: an item without interactions takes the factor the fine-tuned encoder wrote at
     * ingest instead of the ridge projection of its text vector; the same training without it projects (the control,
     * so that the check can tell the two apart).
     */
    @Test
    void newItemsTakeTheFineTunedFactorsWhenTrainingNamesTheirField() {
        for (String factorField : new String[]{ "", "\"factor_field\": \"factor\", " }) {
            NODE.call("DELETE", "/_recsys/models/" + MODEL);
            JsonNode trained = NODE.ok(
                "POST",
                "/_recsys/models/" + MODEL + "/_train",
                String.format(
                    Locale.ROOT,
                    """
                        {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
                         "projection": {%s"text_field": "factor"}, "params": {"rank": %d, "threads": 1}}""",
                    INTERACTIONS,
                    INDEX,
                    USERS,
                    factorField,
                    RANK
                )
            );
            assertEquals("complete", trained.path("status").asText(), trained::toString);
            assertEquals(IDS.size() - 16, trained.path("metrics").path("projection").path("items_projected").asInt(), trained::toString);
            for (String id : IDS.subList(16, IDS.size())) {
                JsonNode item = NODE.ok("GET", "/" + INDEX + "/_doc/" + id).path("_source");
                assertEquals("projected", item.path(MODEL + "_factor_a_source").asText(), item::toString);
                double difference = 0;
                for (int c = 0; c < RANK; c++) {
                    difference = Math.max(
                        difference,
                        Math.abs(item.path(MODEL + "_factor_a").get(c).asDouble() - item.path("factor").get(c).asDouble())
                    );
                }
                if (factorField.isEmpty()) {
                    assertTrue(difference > 1e-3, id + ": the ridge projection gave the fine-tuned factor itself");
                } else {
                    assertTrue(difference < 1e-6, id + ": written factor differs from [factor] by " + difference);
                }
            }
        }

        // A new arrival after the training: wals_projection gives it the fine-tuned factor its pipeline wrote, as
        // training gave the others, not the projection of its text.
        NODE.ok("PUT", "/_ingest/pipeline/" + ENCODER + "-arrivals", String.format(Locale.ROOT, """
            {"processors": [{"text_vector": {"fields": ["title"], "target_field": "factor", "encoder": "%s"}},
                            {"wals_projection": {"model": "%s"}}]}""", ENCODER, MODEL));
        NODE.ok("PUT", "/" + INDEX + "/_doc/arrival?pipeline=" + ENCODER + "-arrivals&refresh=true", "{\"title\": \"A brand-new film\"}");
        JsonNode arrival = NODE.ok("GET", "/" + INDEX + "/_doc/arrival").path("_source");
        assertEquals("projected", arrival.path(MODEL + "_factor_a_source").asText(), arrival::toString);
        for (int c = 0; c < RANK; c++) {
            assertEquals(
                arrival.path("factor").get(c).asDouble(),
                arrival.path(MODEL + "_factor_a").get(c).asDouble(),
                1e-6,
                arrival::toString
            );
        }
    }

    @Test
    void aFactorFieldOfAnotherRankOrWithTuneIsRefused() {
        TestNode.Reply rank = NODE.call("POST", "/_recsys/models/" + MODEL + "-bad/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "projection": {"text_field": "factor", "factor_field": "factor"}, "params": {"rank": 4}}""", INTERACTIONS, INDEX, USERS));
        assertEquals(400, rank.status(), rank.text());
        assertTrue(rank.text().contains("[projection.factor_field] [factor] has [8] dims; the model's factors have rank [4]"), rank.text());
        TestNode.Reply tune = NODE.call("POST", "/_recsys/models/" + MODEL + "-bad/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "projection": {"text_field": "factor", "factor_field": "factor"}, "tune": {}}""", INTERACTIONS, INDEX, USERS));
        assertEquals(400, tune.status(), tune.text());
        assertTrue(tune.text().contains("[projection.factor_field] holds factors fitted to one model's space"), tune.text());
        assertEquals(404, NODE.call("GET", "/_recsys/models/" + MODEL + "-bad").status());
    }
}

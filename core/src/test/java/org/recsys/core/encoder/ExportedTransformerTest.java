package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TorchScript and ONNX exports of one tiny BERT (written by scripts/fixtures/tiny_bert.py, under
 * {@code encoders/} in the test resources) against the same weights as safetensors (derived from the TorchScript
 * twin by the build, {@link TinyBertFixture}) run by the project's own forward: the same vectors for every pooling, in padded batches, and the same truncation counts.
 */
class ExportedTransformerTest {

    private static final List<String> TEXTS = List.of(
        "Star Wars (1977)",
        "the empire strikes back",
        "a farm boy joins a rebellion against the evil empire, and a young pilot trains as a jedi",
        "x",
        "Drama, Romance. 1995!"
    );

    private static TextEncoder safetensors;
    private static TextEncoder torchScript;
    private static TextEncoder onnx;

    @BeforeAll
    static void load() throws IOException {
        safetensors = TextEncoder.load(fixture("tiny-bert"));
        torchScript = TextEncoder.load(fixture("tiny-bert-torchscript"));
        onnx = TextEncoder.load(fixture("tiny-bert-onnx"));
    }

    @AfterAll
    static void close() {
        safetensors.close();
        torchScript.close();
        onnx.close();
    }

    static Path fixture(String name) {
        if (name.equals("tiny-bert")) {
            // Derived by the build from the TorchScript twin (TinyBertFixture): the same weights, committed once.
            return Path.of(System.getProperty("tests.tiny_bert"));
        }
        try {
            return Path.of(ExportedTransformerTest.class.getResource("/encoders/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void exportsGiveTheSafetensorsVectorsForEveryPooling() {
        assertTrue(torchScript.transformer().hasEveryLayer());
        assertTrue(onnx.transformer().hasEveryLayer());
        for (Pooling pooling : Pooling.values()) {
            for (boolean normalize : new boolean[]{ false, true }) {
                TextEncoder.Result expected = safetensors.encode(TEXTS, pooling, normalize, 24);
                for (TextEncoder export : List.of(torchScript, onnx)) {
                    TextEncoder.Result actual = export.encode(TEXTS, pooling, normalize, 24);
                    String what = export.transformer().file().getFileName() + " " + pooling.id() + (normalize ? " normalised" : "");
                    assertArrayEquals(expected.tokens(), actual.tokens(), what);
                    assertEquals(expected.truncated(), actual.truncated(), what);
                    for (int t = 0; t < TEXTS.size(); t++) {
                        assertEquals(24, actual.vectors()[t].length);
                        assertArrayEquals(expected.vectors()[t], actual.vectors()[t], 1e-4f, what + ", text " + t);
                    }
                }
            }
        }
        // Long texts are cut, and counted, the same way whatever the format.
        assertEquals(1, onnx.encode(TEXTS, Pooling.MEAN, true, 8).truncated());
        assertEquals(1, torchScript.encode(TEXTS, Pooling.MEAN, true, 8).truncated());
    }

    @Test
    void torchScriptHiddenStatesComeAsOneTensorOrOnePerLayer() {
        TransformerConfig config = torchScript.transformer().config();
        try (NDManager m = NDManager.newBaseManager(DjlEngines.PYTORCH)) {
            NDArray last = m.randomNormal(new Shape(2, 3, 24));
            NDArray pooler = m.randomNormal(new Shape(2, 24));
            NDList hfTuple = new NDList(last, pooler);
            for (int l = 0; l <= config.layers(); l++) {
                hfTuple.add(m.randomNormal(new Shape(2, 3, 24)));
            }
            NDArray stacked = TorchScriptTransformer.hiddenStatesOf(hfTuple, config);
            assertEquals(new Shape(config.layers() + 1, 2, 3, 24), stacked.getShape());
            assertTrue(stacked.get(3).contentEquals(hfTuple.get(2 + 3)));

            NDArray rank4 = m.randomNormal(new Shape(config.layers() + 1, 2, 3, 24));
            assertSame(rank4, TorchScriptTransformer.hiddenStatesOf(new NDList(last, pooler, rank4), config));
            assertNull(TorchScriptTransformer.hiddenStatesOf(new NDList(last, pooler), config));
            assertNull(TorchScriptTransformer.hiddenStatesOf(new NDList(last, last, last), config), "two tensors are not every layer");
        }
    }

    @Test
    void batchesSortedByLengthGiveTheVectorsOfOneBatch() {
        float[][] together = onnx.encode(TEXTS, Pooling.MEAN, true, 24).vectors();
        float[][] sorted = onnx.encodeByLength(TEXTS, Pooling.MEAN, true, 24, 2).vectors();
        for (int t = 0; t < TEXTS.size(); t++) {
            assertArrayEquals(together[t], sorted[t], 1e-5f);
        }
    }

    @Test
    void corruptExportsAreRefusedWithTheFileNamed(@TempDir Path tmp) throws IOException {
        Path onnxDir = copy(fixture("tiny-bert-onnx"), tmp.resolve("onnx"));
        Files.writeString(onnxDir.resolve("model.onnx"), "not a protobuf");
        IllegalArgumentException badOnnx = assertThrows(IllegalArgumentException.class, () -> TextEncoder.validate(onnxDir, Pooling.MEAN));
        assertTrue(badOnnx.getMessage().startsWith("model.onnx is not an ONNX model that ONNX Runtime"), badOnnx.getMessage());

        Path ptDir = copy(fixture("tiny-bert-torchscript"), tmp.resolve("pt"));
        Files.write(ptDir.resolve("model.pt"), new byte[]{ 'P', 'K', 3, 4, 0, 0, 0 });
        IllegalArgumentException badPt = assertThrows(IllegalArgumentException.class, () -> TextEncoder.validate(ptDir, Pooling.MEAN));
        assertTrue(badPt.getMessage().startsWith("model.pt is not a TorchScript module that PyTorch"), badPt.getMessage());
        assertFalse(badPt.getMessage().contains("\n"), badPt.getMessage());
    }

    @Test
    void exportsThatBreakTheContractAreRefused(@TempDir Path tmp) throws IOException {
        // config.json says another hidden size than the graph's output.
        Path onnxDir = copy(fixture("tiny-bert-onnx"), tmp.resolve("onnx"));
        Files.writeString(
            onnxDir.resolve("config.json"),
            Files.readString(onnxDir.resolve("config.json")).replace("\"hidden_size\": 24", "\"hidden_size\": 48")
        );
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class, () -> TextEncoder.validate(onnxDir, Pooling.MEAN));
        assertTrue(hidden.getMessage().contains("must output [last_hidden_state] float [batch, sequence, 48]"), hidden.getMessage());

        // A TorchScript forward that takes three inputs, called with two (config.json says no token types).
        Path ptDir = copy(fixture("tiny-bert-torchscript"), tmp.resolve("pt"));
        Files.writeString(
            ptDir.resolve("config.json"),
            Files.readString(ptDir.resolve("config.json")).replace("\"type_vocab_size\": 2", "\"type_vocab_size\": 1")
        );
        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class, () -> TextEncoder.validate(ptDir, Pooling.MEAN));
        assertTrue(
            arity.getMessage()
                .startsWith("model.pt does not run as docs/encoders.md describes when called with (input_ids, attention_mask)"),
            arity.getMessage()
        );
    }

    @Test
    void aDirectoryHoldsExactlyOneModelFile(@TempDir Path tmp) throws IOException {
        Path dir = copy(fixture("tiny-bert-onnx"), tmp.resolve("both"));
        Files.copy(fixture("tiny-bert").resolve("model.safetensors"), dir.resolve("model.safetensors"));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> TextEncoder.validate(dir, Pooling.MEAN));
        assertEquals(
            "model directory [both] must hold exactly one of [model.safetensors, model.pt, model.onnx]; it has [model.safetensors, model.onnx]",
            both.getMessage()
        );
        Files.delete(dir.resolve("model.safetensors"));
        Files.delete(dir.resolve("model.onnx"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> TextEncoder.validate(dir, Pooling.MEAN));
        assertTrue(none.getMessage().endsWith("it has none"), none.getMessage());
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }
}

package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TorchScript and ONNX exports on a real node: one tiny BERT in three formats (copied into the node's
 * {@code config/recsys-models/} by the build) registered as three encoders, the same document ingested through
 * each, and the vectors compared; corrupt exports refused with a 400 naming the file.
 */
@ExtendWith(NodeLogOnFailure.class)
class ExportedEncodersIT {

    private static final TestNode NODE = TestNode.get();
    private static final String INDEX = "exported-encoders-it";
    private static final List<String> FORMATS = List.of("tiny-bert", "tiny-bert-torchscript", "tiny-bert-onnx");
    private static final String DOCUMENT = """
        {"title": "Star Wars (1977)", "plot": "A farm boy joins a rebellion against the evil empire."}""";

    @BeforeAll
    static void registerAndIngest() {
        NODE.call("DELETE", "/" + INDEX);
        NODE.ok("PUT", "/" + INDEX, """
            {"mappings": {"properties": {"mean": {"type": "dense_vector", "dims": 24}, "top4": {"type": "dense_vector", "dims": 24}}}}""");
        for (String format : FORMATS) {
            NODE.ok("PUT", "/_recsys/encoders/" + format, "{\"path\": \"" + format + "\", \"max_seq_length\": 32}");
            NODE.ok("PUT", "/_ingest/pipeline/" + format, String.format(Locale.ROOT, """
                {"processors": [
                  {"text_vector": {"fields": ["title", "plot"], "target_field": "mean", "encoder": "%1$s"}},
                  {"text_vector": {"fields": ["title", "plot"], "target_field": "top4", "encoder": "%1$s", "pooling": "top4_mean"}}
                ]}""", format));
            NODE.ok("PUT", "/" + INDEX + "/_doc/" + format + "?pipeline=" + format + "&refresh=true", DOCUMENT);
        }
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/" + INDEX);
        for (String format : FORMATS) {
            NODE.call("DELETE", "/_ingest/pipeline/" + format);
            NODE.call("DELETE", "/_recsys/encoders/" + format);
        }
    }

    @Test
    void everyFormatGivesTheSameVectorForTheSameDocument() {
        JsonNode expected = NODE.ok("GET", "/" + INDEX + "/_doc/tiny-bert").path("_source");
        for (String field : List.of("mean", "top4")) {
            assertEquals(24, expected.path(field).size(), expected.toString());
            assertEquals(1.0, norm(expected.path(field)), 1e-5, field);
            for (String export : FORMATS.subList(1, 3)) {
                JsonNode actual = NODE.ok("GET", "/" + INDEX + "/_doc/" + export).path("_source").path(field);
                assertEquals(24, actual.size(), export + " " + field);
                for (int i = 0; i < 24; i++) {
                    assertEquals(
                        expected.path(field).get(i).asDouble(),
                        actual.get(i).asDouble(),
                        1e-4,
                        export + " " + field + "[" + i + "]"
                    );
                }
            }
        }
        // Pooling differs, so the vectors do: the comparison above is not between constants.
        assertTrue(Math.abs(expected.path("mean").get(0).asDouble() - expected.path("top4").get(0).asDouble()) > 1e-3, expected.toString());
    }

    @Test
    void statsNameTheExportsSize() throws IOException {
        JsonNode stats = NODE.ok("GET", "/_recsys/encoders/_stats").path("encoders");
        for (String format : FORMATS) {
            assertTrue(stats.path(format).path("loaded").asBoolean(), stats.toString());
            assertEquals(2, stats.path(format).path("documents").asLong(), stats.toString());
        }
        long onnxBytes = Files.size(NODE.home().resolve("config/recsys-models/tiny-bert-onnx/model.onnx"));
        assertEquals(onnxBytes, stats.path("tiny-bert-onnx").path("model_bytes").asLong(), stats.toString());
    }

    @Test
    void corruptExportsAreRefusedWithA400NamingTheFile() throws IOException {
        Path onnx = copyOf("tiny-bert-onnx", "corrupt-onnx");
        Files.writeString(onnx.resolve("model.onnx"), "this is not a protobuf");
        TestNode.Reply badOnnx = NODE.call("PUT", "/_recsys/encoders/corrupt-onnx", "{\"path\": \"corrupt-onnx\"}");
        assertEquals(400, badOnnx.status(), badOnnx.text());
        assertTrue(badOnnx.text().contains("model.onnx is not an ONNX model that ONNX Runtime 1.21.1 can load"), badOnnx.text());

        Path pt = copyOf("tiny-bert-torchscript", "corrupt-pt");
        Files.writeString(pt.resolve("model.pt"), "this is not a zip archive");
        TestNode.Reply badPt = NODE.call("PUT", "/_recsys/encoders/corrupt-pt", "{\"path\": \"corrupt-pt\"}");
        assertEquals(400, badPt.status(), badPt.text());
        assertTrue(badPt.text().contains("model.pt is not a TorchScript module that PyTorch"), badPt.text());

        Path both = copyOf("tiny-bert-onnx", "two-model-files");
        Files.copy(
            NODE.home().resolve("config/recsys-models/tiny-bert/model.safetensors"),
            both.resolve("model.safetensors"),
            StandardCopyOption.REPLACE_EXISTING
        );
        TestNode.Reply twoFiles = NODE.call("PUT", "/_recsys/encoders/two", "{\"path\": \"two-model-files\"}");
        assertEquals(400, twoFiles.status(), twoFiles.text());
        assertTrue(twoFiles.text().contains("must hold exactly one of [model.safetensors, model.pt, model.onnx]"), twoFiles.text());
        assertEquals(404, NODE.call("GET", "/_recsys/encoders/corrupt-onnx").status());
    }

    @Test
    void loadingAndRunningTheExportsWasRefusedNothing() throws IOException {
        List<String> refusals = PluginInstalledIT.refusalsAndErrors(NODE);
        assertTrue(refusals.isEmpty(), "entitlement refusals or errors in " + NODE.log() + ": " + refusals);
    }

    private static Path copyOf(String model, String name) throws IOException {
        Path models = NODE.home().resolve("config/recsys-models");
        Path to = Files.createDirectories(models.resolve(name));
        try (var files = Files.list(models.resolve(model))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    private static double norm(JsonNode vector) {
        double s = 0;
        for (JsonNode x : vector) {
            s += x.asDouble() * x.asDouble();
        }
        return Math.sqrt(s);
    }
}

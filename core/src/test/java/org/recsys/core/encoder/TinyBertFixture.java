package org.recsys.core.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the {@code tiny-bert} encoder fixture, the safetensors snapshot, from its committed TorchScript twin
 * ({@code tiny-bert-torchscript}, written with its ONNX twin by {@code scripts/fixtures/tiny_bert.py}): the traced
 * module's parameters under their Hugging Face names ({@code bert.} + the module's own), with the twin's config and
 * tokenizer. So the three formats hold the same weights without a third copy of them in the repository. The build
 * runs it before core's tests ({@code core/pom.xml}); usage: {@code TinyBertFixture TORCHSCRIPT_DIR OUT_DIR}.
 */
public final class TinyBertFixture {

    private TinyBertFixture() {}

    public static void main(String[] args) throws IOException, MalformedModelException {
        Path twin = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Map<String, SafetensorsFile.Tensor> tensors = new LinkedHashMap<>();
        Path pt = twin.resolve(ModelFormat.TORCHSCRIPT.fileName());
        try (Model model = Model.newInstance(pt.toString(), Device.cpu(), DjlEngines.PYTORCH)) {
            model.load(pt);
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                NDArray weight = p.getValue().getArray();
                tensors.put("bert." + p.getKey(), new SafetensorsFile.Tensor(weight.getShape().getShape(), weight.toFloatArray()));
            }
        }
        SafetensorsFile.write(out.resolve(ModelFormat.SAFETENSORS.fileName()), tensors);
        for (String file : new String[]{ "config.json", "tokenizer.json" }) {
            Files.copy(twin.resolve(file), out.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

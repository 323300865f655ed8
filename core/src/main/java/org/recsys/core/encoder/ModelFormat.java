package org.recsys.core.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** How a model directory holds its transformer: which one of the accepted model files it has. */
public enum ModelFormat {
    /** Hugging Face weights, run by the project's own BERT/RoBERTa forward on PyTorch. */
    SAFETENSORS("model.safetensors"),
    /** A TorchScript module, run by PyTorch. */
    TORCHSCRIPT("model.pt"),
    /** An ONNX graph, run by ONNX Runtime. */
    ONNX("model.onnx");

    private final String fileName;

    ModelFormat(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** The format of a model directory, which must hold exactly one of the accepted model files. */
    public static ModelFormat of(Path dir) {
        List<ModelFormat> present = Arrays.stream(values()).filter(f -> Files.isRegularFile(dir.resolve(f.fileName))).toList();
        if (present.size() != 1) {
            throw new IllegalArgumentException(
                "model directory ["
                    + dir.getFileName()
                    + "] must hold exactly one of "
                    + fileNames(List.of(values()))
                    + (present.isEmpty() ? "; it has none" : "; it has " + fileNames(present))
            );
        }
        return present.get(0);
    }

    private static List<String> fileNames(List<ModelFormat> formats) {
        return formats.stream().map(ModelFormat::fileName).toList();
    }
}

package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The tensors of a BERT- or RoBERTa-family {@code model.safetensors}, by their Hugging Face names (an
 * architecture prefix such as {@code bert.} or {@code roberta.} is dropped), checked against the config's shapes:
 * loaded as {@link NDArray}s, or only their shapes from the header when validating.
 */
final class TransformerWeights {

    private final Map<String, ?> tensors;

    private TransformerWeights(Map<String, ?> tensors) {
        this.tensors = tensors;
    }

    static TransformerWeights read(Path file, NDManager manager, TransformerConfig config) throws IOException {
        TransformerWeights w = new TransformerWeights(withoutPrefixes(SafetensorsFile.read(file, manager)));
        w.checkShapes(config);
        return w;
    }

    /** Checks the file's header against the config without reading any tensor. */
    static void check(Path file, TransformerConfig config) throws IOException {
        Map<String, Shape> shapes = new HashMap<>();
        SafetensorsFile.header(file).forEach((name, entry) -> shapes.put(name, entry.shape()));
        new TransformerWeights(withoutPrefixes(shapes)).checkShapes(config);
    }

    /** Drops an architecture prefix ({@code bert.}, {@code roberta.}, {@code model.}) from every name. */
    private static <T> Map<String, T> withoutPrefixes(Map<String, T> byFileName) {
        Map<String, T> byName = new HashMap<>();
        byFileName.forEach((name, value) -> {
            for (String prefix : new String[]{ "bert.", "roberta.", "model." }) {
                if (name.startsWith(prefix)) {
                    name = name.substring(prefix.length());
                }
            }
            byName.put(name, value);
        });
        return byName;
    }

    private void checkShapes(TransformerConfig config) {
        int h = config.hiddenSize();
        check("embeddings.position_embeddings.weight", config.maxPositions(), h);
        check("embeddings.token_type_embeddings.weight", config.typeVocabSize(), h);
        check("embeddings.LayerNorm.weight", h);
        for (int l = 0; l < config.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[]{
                "attention.self.query",
                "attention.self.key",
                "attention.self.value",
                "attention.output.dense" }) {
                check(p + m + ".weight", h, h);
                check(p + m + ".bias", h);
            }
            check(p + "intermediate.dense.weight", config.intermediateSize(), h);
            check(p + "output.dense.weight", h, config.intermediateSize());
            check(p + "attention.output.LayerNorm.weight", h);
            check(p + "output.LayerNorm.weight", h);
        }
        Shape words = shapeOf("embeddings.word_embeddings.weight");
        if (words.dimension() != 2 || words.get(1) != h) {
            throw new IllegalArgumentException("embeddings.word_embeddings.weight has shape " + words + "; expected [vocab, " + h + "]");
        }
    }

    private Shape shapeOf(String name) {
        Object value = tensors.get(name);
        if (value == null) {
            throw new IllegalArgumentException("model.safetensors has no tensor [" + name + "]");
        }
        return value instanceof NDArray a ? a.getShape() : (Shape) value;
    }

    /** Every tensor by its name without architecture prefix; only for weights that were {@link #read}. */
    @SuppressWarnings("unchecked")
    Map<String, NDArray> arrays() {
        return (Map<String, NDArray>) tensors;
    }

    NDArray get(String name) {
        shapeOf(name);
        return (NDArray) tensors.get(name);
    }

    private void check(String name, long... shape) {
        Shape actual = shapeOf(name);
        if (actual.equals(new Shape(shape)) == false) {
            throw new IllegalArgumentException("tensor [" + name + "] has shape " + actual + "; the config expects " + new Shape(shape));
        }
    }
}

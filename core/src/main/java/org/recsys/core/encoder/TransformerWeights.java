package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The tensors of a BERT- or RoBERTa-family {@code model.safetensors}, by their Hugging Face names (an
 * architecture prefix such as {@code bert.} or {@code roberta.} is dropped), checked against the config's shapes.
 */
final class TransformerWeights {

    private final Map<String, NDArray> tensors;

    private TransformerWeights(Map<String, NDArray> tensors) {
        this.tensors = tensors;
    }

    static TransformerWeights read(Path file, NDManager manager, TransformerConfig config) throws IOException {
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(manager, in);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable safetensors file: " + e.getMessage(), e);
        }
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray a : list) {
            String name = a.getName();
            if (name == null) {
                throw new IllegalArgumentException(file + " has a tensor without a name");
            }
            for (String prefix : new String[] { "bert.", "roberta.", "model." }) {
                if (name.startsWith(prefix)) {
                    name = name.substring(prefix.length());
                }
            }
            byName.put(name, a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false));
        }
        TransformerWeights w = new TransformerWeights(byName);
        int h = config.hiddenSize();
        w.check("embeddings.position_embeddings.weight", config.maxPositions(), h);
        w.check("embeddings.token_type_embeddings.weight", config.typeVocabSize(), h);
        w.check("embeddings.LayerNorm.weight", h);
        for (int l = 0; l < config.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            for (String m : new String[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" }) {
                w.check(p + m + ".weight", h, h);
                w.check(p + m + ".bias", h);
            }
            w.check(p + "intermediate.dense.weight", config.intermediateSize(), h);
            w.check(p + "output.dense.weight", h, config.intermediateSize());
            w.check(p + "attention.output.LayerNorm.weight", h);
            w.check(p + "output.LayerNorm.weight", h);
        }
        NDArray words = w.get("embeddings.word_embeddings.weight");
        if (words.getShape().dimension() != 2 || words.getShape().get(1) != h) {
            throw new IllegalArgumentException("embeddings.word_embeddings.weight has shape " + words.getShape() + "; expected [vocab, " + h + "]");
        }
        return w;
    }

    NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalArgumentException("model.safetensors has no tensor [" + name + "]");
        }
        return a;
    }

    private void check(String name, long... shape) {
        Shape actual = get(name).getShape();
        if (actual.equals(new Shape(shape)) == false) {
            throw new IllegalArgumentException("tensor [" + name + "] has shape " + actual + "; the config expects " + new Shape(shape));
        }
    }
}

package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A linear map from an encoder's pooled vector, taken at unit length, into a factor model's space:
 * {@code factor = W·(pooled / |pooled|) + b}, the same map as a ridge {@code Projection} of a unit-length text vector.
 * A model directory that holds {@code projection_head.safetensors} (tensors {@code weight} [rank, hidden] and
 * {@code bias} [rank], as {@code scripts/recsys finetune} writes them) encodes texts straight into factors.
 */
final class ProjectionHead {

    static final String FILE_NAME = "projection_head.safetensors";

    final NDArray weight;
    final NDArray bias;

    ProjectionHead(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** The head of a model directory in {@code manager}, or null when the directory has none. */
    static ProjectionHead read(Path dir, NDManager manager, int hidden) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.isRegularFile(file) == false) {
            return null;
        }
        check(dir, hidden);
        Map<String, NDArray> tensors = SafetensorsFile.read(file, manager);
        return new ProjectionHead(tensors.get("weight"), tensors.get("bias"));
    }

    /** Checks the head of a model directory, if it has one, from its header alone. */
    static void check(Path dir, int hidden) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.isRegularFile(file) == false) {
            return;
        }
        Map<String, SafetensorsFile.Entry> header = SafetensorsFile.header(file);
        SafetensorsFile.Entry weight = header.get("weight");
        SafetensorsFile.Entry bias = header.get("bias");
        if (weight == null
            || bias == null
            || weight.shape().dimension() != 2
            || weight.shape().get(1) != hidden
            || bias.shape().equals(new Shape(weight.shape().get(0))) == false) {
            throw new IllegalArgumentException(
                FILE_NAME + " must hold [weight] of shape [rank, " + hidden + "] and [bias] of shape [rank]; it has " + header.keySet()
            );
        }
    }

    int rank() {
        return (int) weight.getShape().get(0);
    }

    /**
     * [batch, rank] from pooled vectors [batch, hidden]. Every result belongs to {@code pooled}'s manager (the
     * call's), never to the head's long-lived one, so nothing outlives the pass.
     */
    NDArray apply(NDArray pooled) {
        return Linear.linear(Pooling.unitLength(pooled), weight, bias).singletonOrThrow();
    }

    /** Writes a head of {@code rank} rows: {@code weight} row-major [rank, hidden], then {@code bias}. */
    static void write(Path dir, float[] weight, float[] bias, int hidden) throws IOException {
        Map<String, SafetensorsFile.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", new SafetensorsFile.Tensor(new long[]{ bias.length, hidden }, weight));
        tensors.put("bias", new SafetensorsFile.Tensor(new long[]{ bias.length }, bias));
        SafetensorsFile.write(dir.resolve(FILE_NAME), tensors);
    }
}

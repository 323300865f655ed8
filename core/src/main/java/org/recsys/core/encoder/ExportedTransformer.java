package org.recsys.core.encoder;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.file.Path;

/**
 * A transformer exported with its forward pass (TorchScript or ONNX), under the contract of docs/encoders.md:
 * inputs {@code input_ids}, {@code attention_mask} and optionally {@code token_type_ids} (int64, [batch, seq]);
 * outputs {@code last_hidden_state} [batch, seq, hidden] and optionally {@code hidden_states}
 * [layers + 1, batch, seq, hidden] (the embeddings' output, then each layer's), which top-layer poolings need.
 */
abstract class ExportedTransformer extends Transformer {

    /** What a forward pass returned, in PyTorch memory; {@code everyLayer} is null when the export has no hidden_states. */
    record Outputs(NDArray lastHiddenState, NDArray everyLayer) {}

    ExportedTransformer(TransformerConfig config, Path file, NDManager manager, int threads) {
        super(config, file, manager, threads);
    }

    /** Runs the export on a batch; the outputs belong to {@code m}, every layer's states only if asked for. */
    abstract Outputs forward(NDManager m, PaddedBatch batch, boolean withEveryLayer);

    @Override
    final NDArray hiddenStates(NDManager m, PaddedBatch batch, int layers) {
        Outputs out = forward(m, batch, layers > 1);
        requireShape(out.lastHiddenState(), "last_hidden_state", batch.size(), batch.length(), config.hiddenSize());
        if (layers == 1) {
            return out.lastHiddenState();
        }
        NDArray every = out.everyLayer();
        requireShape(every, "hidden_states", config.layers() + 1, batch.size(), batch.length(), config.hiddenSize());
        int averaged = Math.min(layers, config.layers());
        return every.get((config.layers() + 1 - averaged) + ":").mean(new int[]{ 0 });
    }

    /** A batch of one sequence of two tokens, to run an export once when it loads. */
    static PaddedBatch probeBatch(TransformerConfig config) {
        return PaddedBatch.of(new long[][]{ { 0, 0 } }, config.padTokenId(), config.maxSequenceLength());
    }

    /** Runs the export once, so that a model breaking the contract fails when it loads rather than at ingest. */
    final void probe(String inputs) {
        try (NDManager m = manager.newSubManager()) {
            hiddenStates(m, probeBatch(config), hasEveryLayer() ? config.layers() : 1);
        } catch (EngineException e) {
            throw callFailed(file(), inputs, e);
        }
    }

    static IllegalArgumentException callFailed(Path file, String inputs, EngineException e) {
        return new IllegalArgumentException(
            file.getFileName() + " does not run as docs/encoders.md describes when called with " + inputs + ": " + firstLine(e),
            e
        );
    }

    /** Native errors carry the whole TorchScript or ONNX Runtime trace; the first line says what went wrong. */
    static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private void requireShape(NDArray array, String name, long... expected) {
        if (array.getShape().equals(new Shape(expected)) == false) {
            throw new IllegalArgumentException(
                file().getFileName()
                    + " returned ["
                    + name
                    + "] of shape "
                    + array.getShape()
                    + "; expected "
                    + new Shape(expected)
                    + " from config.json and the input"
            );
        }
    }
}

package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A BERT- or RoBERTa-family transformer that turns padded token ids into hidden states, in one of the
 * {@link ModelFormat}s; pooling, normalisation and the copy out to Java arrays are the same for every format.
 * Thread-safe: each call works in its own NDManager, freed before it returns, so several threads may run passes at
 * once, each on as many intra-op threads as the transformer was loaded with.
 */
public abstract class Transformer implements AutoCloseable {

    final TransformerConfig config;
    private final Path file;
    /** PyTorch memory: long-lived tensors of the model, and each call's sub-manager. */
    final NDManager manager;
    /** Intra-op threads of each pass; 0 leaves the engines' defaults (every core). */
    final int threads;
    /** The directory's projection head, applied after pooling; null when it has none. Set once, at load. */
    ProjectionHead head;

    Transformer(TransformerConfig config, Path file, NDManager manager, int threads) {
        this.config = config;
        this.file = file;
        this.manager = manager;
        this.threads = threads;
    }

    /** Loads the model of a directory with the engines' default threads (every core for each pass). */
    public static Transformer load(Path dir) throws IOException {
        return load(dir, 0);
    }

    /**
     * Loads the model of a directory with {@code config.json} and one model file (see {@link ModelFormat}); each
     * pass runs on {@code threads} intra-op threads (0: the engines' defaults), so that several callers can share
     * the cores without waiting for each other's threads.
     */
    public static Transformer load(Path dir, int threads) throws IOException {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (the engines' defaults) or more, got " + threads);
        }
        TransformerConfig config = TransformerConfig.read(dir.resolve("config.json"));
        ModelFormat format = ModelFormat.of(dir);
        Path file = dir.resolve(format.fileName());
        Transformer t = switch (format) {
            case SAFETENSORS -> SafetensorsTransformer.load(file, config, threads);
            case TORCHSCRIPT -> TorchScriptTransformer.load(file, config, threads);
            case ONNX -> OnnxTransformer.load(file, config, threads);
        };
        try {
            t.head = ProjectionHead.read(dir, t.manager, config.hiddenSize());
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Refuses a model that could not encode with {@code pooling}. Safetensors weights are checked against the
     * config from their header alone; an export is loaded and run once on two tokens, which checks its inputs,
     * outputs and dimensions against the contract.
     */
    public static void check(Path dir, TransformerConfig config, Pooling pooling) throws IOException {
        ProjectionHead.check(dir, config.hiddenSize());
        ModelFormat format = ModelFormat.of(dir);
        if (format == ModelFormat.SAFETENSORS) {
            SafetensorsTransformer.check(dir.resolve(format.fileName()), config);
            return;
        }
        try (Transformer t = load(dir)) {
            t.requireLayers(pooling);
        }
    }

    public TransformerConfig config() {
        return config;
    }

    /** The size of the vectors {@link #embed} returns: the head's rank when the directory has a projection head. */
    public int dimension() {
        return head == null ? config.hiddenSize() : head.rank();
    }

    /** The model file this transformer was loaded from. */
    public Path file() {
        return file;
    }

    /** Whether the hidden states of every layer are available, as {@link Pooling#TOP4_MEAN} needs. */
    public abstract boolean hasEveryLayer();

    /**
     * The hidden states of a batch, [size, length, hidden], in {@code m}: the mean of the last {@code layers} layers'
     * states (the last layer's alone when {@code layers} is 1; every layer's when the model has fewer).
     */
    abstract NDArray hiddenStates(NDManager m, PaddedBatch batch, int layers);

    /**
     * One vector per sequence of token ids (special tokens included, each at most
     * {@link TransformerConfig#maxSequenceLength()} long), padded to the longest in the batch: the pooled vector, or
     * its image by the projection head when the directory has one; then unit length if {@code normalize}.
     */
    public final float[][] embed(long[][] ids, Pooling pooling, boolean normalize) {
        requireLayers(pooling);
        useTorchThreads();
        PaddedBatch batch = PaddedBatch.of(ids, config.padTokenId(), config.maxSequenceLength());
        try (NDManager m = manager.newSubManager()) {
            NDArray states = hiddenStates(m, batch, pooling.layers());
            NDArray pooled = pooling.pool(states, m.create(batch.mask(), batch.shape()).toType(DataType.FLOAT32, false));
            if (head != null) {
                pooled = head.apply(pooled);
            }
            if (normalize) {
                pooled = Pooling.unitLength(pooled);
            }
            float[] flat = pooled.toType(DataType.FLOAT32, false).toFloatArray();
            float[][] out = new float[batch.size()][dimension()];
            for (int b = 0; b < batch.size(); b++) {
                System.arraycopy(flat, b * dimension(), out[b], 0, dimension());
            }
            return out;
        }
    }

    /**
     * PyTorch's intra-op thread count belongs to the calling thread (OpenMP's per-thread setting; a thread that has
     * not run PyTorch yet starts from the last count set anywhere), so it is set on the caller before a pass. The
     * pooling maths of every format run on PyTorch, so this applies to ONNX exports too.
     */
    void useTorchThreads() {
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
    }

    private void requireLayers(Pooling pooling) {
        if (pooling.layers() > 1 && hasEveryLayer() == false) {
            throw new IllegalArgumentException(
                "pooling ["
                    + pooling.id()
                    + "] needs the hidden states of every layer, and "
                    + file.getFileName()
                    + " does not output [hidden_states]; use cls or mean, or export hidden_states as docs/encoders.md describes"
            );
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

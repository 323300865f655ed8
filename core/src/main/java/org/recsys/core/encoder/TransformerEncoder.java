package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The forward pass of a BERT- or RoBERTa-family encoder on DJL's PyTorch engine, from a Hugging Face
 * {@code config.json} and {@code model.safetensors} with no conversion: embeddings (word + position + token type),
 * then post-norm layers of multi-head self-attention and a GELU feed-forward. Thread-safe: each call works in its
 * own NDManager, freed before it returns.
 */
public final class TransformerEncoder implements AutoCloseable {

    private final TransformerConfig config;
    private final NDManager manager;
    private final TransformerWeights w;

    private TransformerEncoder(TransformerConfig config, NDManager manager, TransformerWeights weights) {
        this.config = config;
        this.manager = manager;
        this.w = weights;
    }

    /** Loads {@code config.json} and {@code model.safetensors} from a model directory. */
    public static TransformerEncoder load(Path dir) throws IOException {
        TransformerConfig config = TransformerConfig.read(dir.resolve("config.json"));
        NDManager manager = NDManager.newBaseManager(PyTorchRuntime.engine().defaultDevice(), PyTorchRuntime.ENGINE);
        try {
            return new TransformerEncoder(config, manager, TransformerWeights.read(dir.resolve("model.safetensors"), manager, config));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public TransformerConfig config() {
        return config;
    }

    public int dimension() {
        return config.hiddenSize();
    }

    /**
     * One vector per sequence of token ids (special tokens included, each at most
     * {@link TransformerConfig#maxSequenceLength()} long), padded to the longest in the batch.
     */
    public float[][] embed(long[][] ids, Pooling pooling, boolean normalize) {
        int batch = ids.length;
        int length = 0;
        for (long[] seq : ids) {
            if (seq.length == 0 || seq.length > config.maxSequenceLength()) {
                throw new IllegalArgumentException("a sequence has [" + seq.length + "] tokens; expected 1 to " + config.maxSequenceLength());
            }
            length = Math.max(length, seq.length);
        }
        long[] tokens = new long[batch * length];
        long[] positions = new long[batch * length];
        float[] mask = new float[batch * length];
        java.util.Arrays.fill(tokens, config.padTokenId());
        java.util.Arrays.fill(positions, config.isRoberta() ? config.padTokenId() : 0);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                tokens[b * length + t] = ids[b][t];
                positions[b * length + t] = config.firstPosition() + t;
                mask[b * length + t] = 1f;
            }
        }
        try (NDManager m = manager.newSubManager()) {
            Shape shape = new Shape(batch, length);
            NDArray maskArray = m.create(mask, shape);
            NDArray h = lookup(m, "embeddings.word_embeddings.weight", m.create(tokens, shape))
                .add(lookup(m, "embeddings.position_embeddings.weight", m.create(positions, shape)))
                .add(lookup(m, "embeddings.token_type_embeddings.weight", m.create(new long[] { 0 })));
            h = layerNorm(h, "embeddings.LayerNorm");
            // Padding keys get a large negative score, so softmax gives them no weight.
            NDArray keyMask = maskArray.sub(1f).mul(1e9f).reshape(batch, 1, 1, length);
            NDArray topSum = null;
            for (int l = 0; l < config.layers(); l++) {
                h = layer(h, "encoder.layer." + l + ".", keyMask, batch, length);
                if (pooling == Pooling.TOP4_MEAN && l >= config.layers() - 4) {
                    topSum = topSum == null ? h : topSum.add(h);
                }
            }
            NDArray pooled = switch (pooling) {
                case CLS -> h.get(":, 0, :");
                case MEAN -> meanOverTokens(h, maskArray);
                case TOP4_MEAN -> meanOverTokens(topSum.div(Math.min(4, config.layers())), maskArray);
            };
            if (normalize) {
                pooled = pooled.div(pooled.square().sum(new int[] { 1 }, true).sqrt().maximum(1e-12f));
            }
            float[] flat = pooled.toType(DataType.FLOAT32, false).toFloatArray();
            float[][] out = new float[batch][dimension()];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(flat, b * dimension(), out[b], 0, dimension());
            }
            return out;
        }
    }

    /**
     * Rows of an embedding table. A DJL result belongs to its first operand's manager, here the long-lived weights';
     * it is moved to the call's manager so that it is freed with it.
     */
    private NDArray lookup(NDManager m, String table, NDArray indices) {
        NDArray rows = w.get(table).get(indices);
        rows.attach(m);
        return rows;
    }

    private NDArray layer(NDArray h, String p, NDArray keyMask, int batch, int length) {
        int heads = config.heads();
        int headSize = config.hiddenSize() / heads;
        NDArray q = heads(linear(h, p + "attention.self.query"), batch, length, heads, headSize);
        NDArray k = heads(linear(h, p + "attention.self.key"), batch, length, heads, headSize);
        NDArray v = heads(linear(h, p + "attention.self.value"), batch, length, heads, headSize);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(headSize)).add(keyMask);
        NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, config.hiddenSize());
        NDArray attended = layerNorm(linear(context, p + "attention.output.dense").add(h), p + "attention.output.LayerNorm");
        NDArray inner = Activation.gelu(linear(attended, p + "intermediate.dense"));
        return layerNorm(linear(inner, p + "output.dense").add(attended), p + "output.LayerNorm");
    }

    private static NDArray heads(NDArray x, int batch, int length, int heads, int headSize) {
        return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name) {
        return Linear.linear(x, w.get(name + ".weight"), w.get(name + ".bias")).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), w.get(name + ".weight"), w.get(name + ".bias"), config.layerNormEps())
            .singletonOrThrow();
    }

    private static NDArray meanOverTokens(NDArray h, NDArray mask) {
        NDArray m = mask.expandDims(2);
        return h.mul(m).sum(new int[] { 1 }).div(m.sum(new int[] { 1 }));
    }

    @Override
    public void close() {
        manager.close();
    }
}

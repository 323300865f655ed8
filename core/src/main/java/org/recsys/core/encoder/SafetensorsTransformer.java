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
 * The project's own forward pass of a BERT- or RoBERTa-family encoder on DJL's PyTorch engine, from a Hugging Face
 * {@code config.json} and {@code model.safetensors} with no conversion: embeddings (word + position + token type),
 * then post-norm layers of multi-head self-attention and a GELU feed-forward.
 */
final class SafetensorsTransformer extends Transformer {

    private final TransformerWeights w;

    private SafetensorsTransformer(TransformerConfig config, Path file, NDManager manager, TransformerWeights weights, int threads) {
        super(config, file, manager, threads);
        this.w = weights;
    }

    static SafetensorsTransformer load(Path file, TransformerConfig config, int threads) throws IOException {
        requireSupportedActivation(config);
        NDManager manager = NDManager.newBaseManager(DjlEngines.pytorch().defaultDevice(), DjlEngines.PYTORCH);
        try {
            return new SafetensorsTransformer(config, file, manager, TransformerWeights.read(file, manager, config), threads);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Checks the weights' header against the config without reading any tensor. */
    static void check(Path file, TransformerConfig config) throws IOException {
        requireSupportedActivation(config);
        TransformerWeights.check(file, config);
    }

    private static void requireSupportedActivation(TransformerConfig config) {
        if (config.hiddenAct().equals("gelu") == false) {
            throw new IllegalArgumentException(
                "hidden_act ["
                    + config.hiddenAct()
                    + "] is not supported with model.safetensors; expected gelu (a TorchScript or ONNX export may use any)"
            );
        }
    }

    TransformerWeights weights() {
        return w;
    }

    @Override
    public boolean hasEveryLayer() {
        return true;
    }

    @Override
    NDArray hiddenStates(NDManager m, PaddedBatch batch, int layers) {
        int size = batch.size();
        int length = batch.length();
        long[] mask = batch.mask();
        long[] positions = new long[mask.length];
        for (int i = 0; i < mask.length; i++) {
            positions[i] = mask[i] == 1L ? config.firstPosition() + i % length : config.isRoberta() ? config.padTokenId() : 0;
        }
        Shape shape = batch.shape();
        NDArray h = lookup(m, "embeddings.word_embeddings.weight", m.create(batch.ids(), shape))
            .add(lookup(m, "embeddings.position_embeddings.weight", m.create(positions, shape)))
            .add(lookup(m, "embeddings.token_type_embeddings.weight", m.create(new long[]{ 0 })));
        h = layerNorm(h, "embeddings.LayerNorm");
        // Padding keys get a large negative score, so softmax gives them no weight.
        NDArray keyMask = m.create(mask, shape).toType(DataType.FLOAT32, false).sub(1f).mul(1e9f).reshape(size, 1, 1, length);
        int averaged = Math.min(layers, config.layers());
        NDArray sum = null;
        for (int l = 0; l < config.layers(); l++) {
            // A result belongs to its first operand's manager, so without a scope per layer every layer's
            // intermediates (scores, the feed-forward's inner activations) live until the pass ends: GBs for a batch
            // of a 12-layer model. The layer's input is lent to the scope and its output kept.
            try (NDManager scope = m.newSubManager()) {
                h.tempAttach(scope);
                NDArray out = layer(h, "encoder.layer." + l + ".", keyMask, size, length);
                out.attach(m);
                h = out;
            }
            if (l >= config.layers() - averaged) {
                sum = sum == null ? h : sum.add(h);
            }
        }
        return averaged == 1 ? h : sum.div(averaged);
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
}

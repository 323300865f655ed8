package org.recsys.core.sequential;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model on DJL's PyTorch engine, for training: token and position embeddings, pre-norm bidirectional encoder
 * layers (multi-head self-attention, GELU feed-forward), a final layer norm; a position's output is scored against
 * the item rows of the token embedding (tied) plus an item bias. {@link QueryEncoder} is the same function in plain
 * Java. Parameters live in this network's manager; every call's temporaries belong to the caller's manager.
 */
final class SequentialNetwork implements AutoCloseable {

    private final ModelShape shape;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    SequentialNetwork(ModelShape shape, Map<String, float[]> initial, NDManager parent) {
        this.shape = shape;
        this.manager = parent.newSubManager();
        for (ModelShape.Tensor t : shape.parameters()) {
            NDArray p = manager.create(initial.get(t.name()), t.rows() == 1 ? new Shape(t.columns()) : new Shape(t.rows(), t.columns()));
            p.setRequiresGradient(true);
            parameters.put(t.name(), p);
        }
    }

    Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Final hidden states of the batch, flat {@code [size × length, hidden]}. */
    NDArray hidden(NDManager m, PaddedSequences batch, float dropout, boolean training) {
        int size = batch.size();
        int length = batch.length();
        Shape grid = new Shape(size, length);
        NDArray x =
            rows("token_embedding", m.create(batch.tokens(), grid)).add(rows("position_embedding", m.create(batch.positions(), grid)));
        x = Dropout.dropout(x, dropout, training).singletonOrThrow();
        NDArray keyMask = m.create(batch.keyMask(), new Shape(size, 1, 1, length));
        if (shape.causal()) {
            keyMask = keyMask.add(m.create(futureMask(length), new Shape(1, 1, length, length)));
        }
        Constants c = new Constants(m, shape);
        for (int l = 0; l < shape.layers(); l++) {
            x = layer(x, "layer." + l + ".", keyMask, c, size, length, dropout, training);
        }
        return norm(x, "final_norm").reshape(size * length, shape.hidden());
    }

    /** A query row's additive mask over the key columns after it: a causal model attends to the past only. */
    private static float[] futureMask(int length) {
        float[] mask = new float[length * length];
        for (int q = 0; q < length; q++) {
            for (int k = q + 1; k < length; k++) {
                mask[q * length + k] = PaddedSequences.MASKED;
            }
        }
        return mask;
    }

    /** Scores of hidden rows {@code [n, hidden]} against the items {@code candidates} (distinct indices): {@code [n, candidates]}. */
    NDArray candidateScores(NDArray hidden, long[] candidates) {
        NDManager m = hidden.getManager();
        NDArray items = m.create(candidates);
        NDArray embeddings = rows("token_embedding", items.add(1));
        NDArray bias = lookup(p("item_bias").reshape(shape.items(), 1), items).reshape(-1);
        return hidden.matMul(embeddings.transpose()).add(bias);
    }

    /** Scores of hidden rows {@code [n, hidden]} against every item: {@code [n, items]}. */
    NDArray itemScores(NDArray hidden) {
        NDArray items = p("token_embedding").get(new NDIndex("1:{}", shape.items() + 1));
        items.attach(hidden.getManager());
        return hidden.matMul(items.transpose()).add(p("item_bias"));
    }

    /**
     * The forward's scalar factors as arrays of the call's manager. DJL's {@code mul(Number)} wraps the number in a
     * tensor over a direct buffer and closes it as soon as the product is computed, but autograd keeps that tensor
     * for the backward pass: once the garbage collector has freed the buffer, the backward pass reads freed memory
     * (garbage gradients, NaN at worst). Arrays of the call's manager live until its backward pass is done.
     */
    private record Constants(NDArray attentionScale, NDArray half, NDArray cubic, NDArray geluC) {
        Constants(NDManager m, ModelShape shape) {
            this(m.create((float) (1 / Math.sqrt(shape.headSize()))), m.create(0.5f), m.create(0.044715f), m.create(QueryEncoder.GELU_C));
        }
    }

    private NDArray layer(NDArray x, String n, NDArray keyMask, Constants c, int size, int length, float dropout, boolean training) {
        int heads = shape.heads();
        int headSize = shape.headSize();
        NDArray a = norm(x, n + "attention_norm");
        NDArray q = split(linear(a, n + "query"), size, length, heads, headSize);
        NDArray k = split(linear(a, n + "key"), size, length, heads, headSize);
        NDArray v = split(linear(a, n + "value"), size, length, heads, headSize);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(c.attentionScale()).add(keyMask);
        NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(size, length, shape.hidden());
        x = x.add(Dropout.dropout(linear(context, n + "output"), dropout, training).singletonOrThrow());
        NDArray inner = gelu(linear(norm(x, n + "feed_forward_norm"), n + "feed_forward_in"), c);
        return x.add(Dropout.dropout(linear(inner, n + "feed_forward_out"), dropout, training).singletonOrThrow());
    }

    /** GELU in the tanh form of {@link QueryEncoder#gelu}. */
    private static NDArray gelu(NDArray x, Constants c) {
        NDArray inner = x.add(x.mul(x).mul(x).mul(c.cubic())).mul(c.geluC());
        return x.mul(c.half()).mul(inner.tanh().add(1f));
    }

    private static NDArray split(NDArray x, int size, int length, int heads, int headSize) {
        return x.reshape(size, length, heads, headSize).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(p(name + ".weight")).add(p(name + ".bias"));
    }

    private NDArray norm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(shape.hidden()), p(name + ".weight"), p(name + ".bias"), ModelShape.LAYER_NORM_EPS)
            .singletonOrThrow();
    }

    /**
     * Rows of a table, in the indices' manager. An embedding lookup rather than indexing: the backward pass of
     * PyTorch's indexing adds a repeated row's gradients in an order that varies between runs with two or more
     * threads, while the embedding's backward pass gives each row to one thread, which adds in index order.
     */
    private NDArray rows(String table, NDArray indices) {
        return lookup(p(table), indices);
    }

    private static NDArray lookup(NDArray table, NDArray indices) {
        return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray p(String name) {
        return parameters.get(name);
    }

    /** The current parameters as plain arrays. */
    Map<String, float[]> export() {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach((name, p) -> out.put(name, p.toFloatArray()));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}

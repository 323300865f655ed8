package org.recsys.core.sequential;

import org.recsys.core.data.IdIndex;
import org.recsys.core.vector.FlatVectors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained sequential model as plain arrays: the item ids, the shape and every parameter of {@link ModelShape#parameters()}.
 * It needs no DJL: {@link #query} computes a user's query vector from a history on the calling thread, and
 * {@link #itemVectors()} gives the vectors to index, so that {@code itemVector · queryVector} is the network's score,
 * and {@link #scores} adds the {@link TransitionFusion} term: the served score.
 */
public final class SequentialModel {

    /**
     * A user's query vector {@code [q, 1]} and what was done to the history to get it.
     *
     * @param used      items of the history the vector reads (the most recent known ones)
     * @param unknown   history items the model does not know, skipped
     * @param truncated known items dropped because the history is longer than the model's maximum length
     * @param last      the index of the history's last item, whose transitions the fusion adds, or -1 when the model
     *                  does not know it
     */
    public record Query(float[] vector, int used, int unknown, int truncated, int last) {}

    private final ModelShape shape;
    private final IdIndex items;
    private final Map<String, float[]> parameters;
    private final QueryEncoder encoder;
    private final TransitionFusion fusion;

    /** A model without fusion: items rank by the network's score alone. */
    public SequentialModel(ModelShape shape, IdIndex items, Map<String, float[]> parameters) {
        this(shape, items, parameters, TransitionFusion.none(shape.items()));
    }

    public SequentialModel(ModelShape shape, IdIndex items, Map<String, float[]> parameters, TransitionFusion fusion) {
        if (items.size() != shape.items()) {
            throw new IllegalArgumentException("the model has [" + shape.items() + "] items but [" + items.size() + "] item ids");
        }
        for (ModelShape.Tensor t : shape.parameters()) {
            float[] values = parameters.get(t.name());
            if (values == null || values.length != t.size()) {
                throw new IllegalArgumentException(
                    "parameter [" + t.name() + "] must have " + t.size() + " values, got " + (values == null ? "none" : values.length)
                );
            }
        }
        if (parameters.size() != shape.parameters().size()) {
            throw new IllegalArgumentException("expected exactly the parameters of " + shape + ", got " + parameters.keySet());
        }
        this.shape = shape;
        this.items = items;
        this.parameters = new LinkedHashMap<>(parameters);
        this.encoder = new QueryEncoder(shape, this.parameters);
        if (fusion.rows().items() != shape.items()) {
            throw new IllegalArgumentException(
                "the transition rows cover [" + fusion.rows().items() + "] items, the model [" + shape.items() + "]"
            );
        }
        this.fusion = fusion;
    }

    /** This network with another fusion. */
    public SequentialModel withFusion(TransitionFusion other) {
        return new SequentialModel(shape, items, parameters, other);
    }

    /** The transition score fused with the network's in {@link #scores}. */
    public TransitionFusion fusion() {
        return fusion;
    }

    public ModelShape shape() {
        return shape;
    }

    public IdIndex items() {
        return items;
    }

    /** The parameter named in {@link ModelShape#parameters()}; not a copy. */
    float[] parameter(String name) {
        return parameters.get(name);
    }

    /**
     * The query vector of a history of item ids, oldest first. Unknown ids are skipped and counted; of the known ones
     * the most recent {@link ModelShape#maxHistory()} are kept.
     *
     * @throws IllegalArgumentException when the history is empty or holds no known item
     */
    public Query query(List<String> history) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("the history is empty; expected at least one item id");
        }
        int[] known = new int[history.size()];
        int n = 0;
        for (String id : history) {
            int index = items.indexOf(id);
            if (index >= 0) {
                known[n++] = index;
            }
        }
        int unknown = history.size() - n;
        if (n == 0) {
            throw new IllegalArgumentException("none of the [" + history.size() + "] items of the history is known to the model");
        }
        int used = Math.min(n, shape.maxHistory());
        int[] window = new int[used];
        System.arraycopy(known, n - used, window, 0, used);
        return new Query(encoder.encode(window), used, unknown, n - used, items.indexOf(history.get(history.size() - 1)));
    }

    /**
     * The query vector {@code [q, 1]} of item indices, oldest first; at most {@link ModelShape#maxHistory()} of them.
     */
    public float[] queryVector(int[] history) {
        if (history.length == 0 || history.length > shape.maxHistory()) {
            throw new IllegalArgumentException("a history must hold 1 to " + shape.maxHistory() + " items, got " + history.length);
        }
        for (int item : history) {
            if (item < 0 || item >= shape.items()) {
                throw new IllegalArgumentException("item index [" + item + "] is outside [0, " + shape.items() + ")");
            }
        }
        return encoder.encode(history);
    }

    /**
     * Every item's served score for a query, index i for item i: the network's {@code q·v + b} plus the fusion's
     * transition term after the history's last item.
     */
    public float[] scores(Query query, float[] itemVectors) {
        int dim = shape.vectorDimension();
        float[] out = new float[shape.items()];
        for (int i = 0; i < out.length; i++) {
            out[i] = FlatVectors.dot(query.vector(), 0, itemVectors, i * dim, dim);
        }
        fusion.addTo(query.last(), out);
        return out;
    }

    /** Every item's vector {@code [embedding, bias]}, flat, row i for item index i. */
    public float[] itemVectors() {
        int d = shape.hidden();
        int dim = shape.vectorDimension();
        float[] embedding = parameters.get("token_embedding");
        float[] bias = parameters.get("item_bias");
        float[] out = new float[shape.items() * dim];
        for (int i = 0; i < shape.items(); i++) {
            System.arraycopy(embedding, (i + 1) * d, out, i * dim, d);
            out[i * dim + d] = bias[i];
        }
        return out;
    }
}

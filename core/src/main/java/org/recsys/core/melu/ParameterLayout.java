package org.recsys.core.melu;

/**
 * Where each parameter sits in the one flat array of a model: the embedding tables ({@code rows × dim}), then the
 * decision layers, whose block alone is what local adaptation changes (the fast weights).
 */
final class ParameterLayout {

    final Embeddings embeddings;
    final DecisionNetwork network;
    final int rows;
    /** Offset of the decision layers. */
    final int dense;
    final int size;

    ParameterLayout(int rows, int dim, int hidden1, int hidden2) {
        this.rows = rows;
        this.embeddings = new Embeddings(dim);
        this.network = new DecisionNetwork(FeatureField.values().length * dim, hidden1, hidden2);
        this.dense = rows * dim;
        this.size = dense + network.size;
    }

    /** Width of the user part (and of the item part) of an input row. */
    int sideWidth(FeatureField.Side side) {
        return FeatureField.of(side).size() * embeddings.dim();
    }
}

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
    private final int userWidth;
    private final int itemWidth;

    ParameterLayout(FeatureVocabulary vocabulary, int dim, int hidden1, int hidden2) {
        FeatureSchema schema = vocabulary.schema();
        this.rows = vocabulary.rows();
        this.embeddings = new Embeddings(dim);
        this.userWidth = schema.of(FeatureField.Side.USER).size() * dim;
        this.itemWidth = schema.of(FeatureField.Side.ITEM).size() * dim;
        this.network = new DecisionNetwork(userWidth + itemWidth, hidden1, hidden2);
        this.dense = rows * dim;
        this.size = dense + network.size;
    }

    /** Width of the user part (or of the item part) of an input row. */
    int sideWidth(FeatureField.Side side) {
        return side == FeatureField.Side.USER ? userWidth : itemWidth;
    }
}

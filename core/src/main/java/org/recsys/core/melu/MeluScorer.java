package org.recsys.core.melu;

/**
 * Predicted ratings for one adapted user, item by item, from each item's vector (its embedded features, as
 * {@link MeluModel#itemVectors} gives them and a node reads them from Lucene). It runs the user's own network
 * ({@link State}): the adapted decision layers with the user's features folded into the first layer's biases, so
 * an item costs the network on its vector alone and allocates nothing. It holds scratch arrays: one scorer per
 * thread.
 */
public final class MeluScorer {

    /**
     * Everything scoring needs for one user, without the model: small enough to send to the shards (about 50 KB with
     * the default sizes).
     *
     * @param itemWidth the length of an item vector
     * @param weights   the user's network: {@code itemWidth → hidden1 → hidden2 → 1}, in {@link DecisionNetwork}'s layout
     */
    public record State(int itemWidth, int hidden1, int hidden2, float minRating, float maxRating, float[] weights) {
        public State {
            int size = new DecisionNetwork(itemWidth, hidden1, hidden2).size;
            if (itemWidth < 1 || hidden1 < 1 || hidden2 < 1 || weights.length != size || (minRating < maxRating) == false) {
                throw new IllegalArgumentException(
                    "a scorer of ["
                        + itemWidth
                        + ", "
                        + hidden1
                        + ", "
                        + hidden2
                        + "] needs "
                        + size
                        + " weights and a scale, got "
                        + weights.length
                        + " and ["
                        + minRating
                        + ", "
                        + maxRating
                        + "]"
                );
            }
        }
    }

    private final State state;
    private final DecisionNetwork net;
    private final float[] z1;
    private final float[] z2;

    public MeluScorer(State state) {
        this.state = state;
        this.net = new DecisionNetwork(state.itemWidth(), state.hidden1(), state.hidden2());
        this.z1 = new float[net.h1];
        this.z2 = new float[net.h2];
    }

    /** Length of an item vector. */
    public int itemWidth() {
        return net.in;
    }

    /** The predicted rating, clamped to the model's scale, of the item whose vector is {@code item[offset ..]}. */
    public float score(float[] item, int offset) {
        float y = net.forwardRow(state.weights(), 0, item, offset, z1, 0, z2, 0);
        return Math.min(state.maxRating(), Math.max(state.minRating(), y));
    }
}

package org.recsys.core.sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of a sequential model and the one list of its parameters (names and shapes, in a fixed order),
 * which the trainer, the file format and the plain-Java forward all read, so they cannot disagree.
 * <p>
 * Attention is bidirectional (a masked-item model, queried with a mask after the history) or causal (each position
 * sees itself and the positions before it, trained to predict the item after every position, and queried with the
 * history's last item's state). Tokens: 0 is padding, item index i is token i + 1, {@link #maskToken()} is the mask. Positions count back from the
 * sequence's last token (0), so the tail that is scored always has the same position embedding.
 */
public record ModelShape(int items, int hidden, int layers, int heads, int maxLength, boolean causal) {

    static final int FEED_FORWARD_FACTOR = 4;
    static final float LAYER_NORM_EPS = 1e-5f;

    /** A named tensor of the model; row-major, {@code rows × columns} (a vector has one row). */
    public record Tensor(String name, int rows, int columns) {
        public int size() {
            return rows * columns;
        }
    }

    public ModelShape {
        if (items < 1) {
            throw new IllegalArgumentException("a sequential model needs at least one item, got [" + items + "]");
        }
        if (hidden < 1 || layers < 1 || heads < 1 || hidden % heads != 0) {
            throw new IllegalArgumentException(
                "hidden ["
                    + hidden
                    + "], layers ["
                    + layers
                    + "] and heads ["
                    + heads
                    + "] must be positive, with hidden a multiple of heads"
            );
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("max_length must be at least 2 (one item and the mask), got [" + maxLength + "]");
        }
    }

    /** A bidirectional (masked-item) model: the query is a mask token after the history. */
    public ModelShape(int items, int hidden, int layers, int heads, int maxLength) {
        this(items, hidden, layers, heads, maxLength, false);
    }

    /**
     * How many of a history's most recent items a query reads: all {@code maxLength} positions for a causal model,
     * whose query is the last item's own state, one fewer for a masked one, whose last position is the mask.
     */
    public int maxHistory() {
        return causal ? maxLength : maxLength - 1;
    }

    public int maskToken() {
        return items + 1;
    }

    public int tokens() {
        return items + 2;
    }

    public int headSize() {
        return hidden / heads;
    }

    public int feedForward() {
        return FEED_FORWARD_FACTOR * hidden;
    }

    /** The item vectors to index are {@code [embedding, bias]}; the query vector is {@code [hidden state, 1]}. */
    public int vectorDimension() {
        return hidden + 1;
    }

    public List<Tensor> parameters() {
        int d = hidden;
        List<Tensor> p = new ArrayList<>();
        p.add(new Tensor("token_embedding", tokens(), d));
        p.add(new Tensor("position_embedding", maxLength, d));
        for (int l = 0; l < layers; l++) {
            String n = "layer." + l + ".";
            p.add(new Tensor(n + "attention_norm.weight", 1, d));
            p.add(new Tensor(n + "attention_norm.bias", 1, d));
            for (String w : new String[]{ "query", "key", "value", "output" }) {
                p.add(new Tensor(n + w + ".weight", d, d));
                p.add(new Tensor(n + w + ".bias", 1, d));
            }
            p.add(new Tensor(n + "feed_forward_norm.weight", 1, d));
            p.add(new Tensor(n + "feed_forward_norm.bias", 1, d));
            p.add(new Tensor(n + "feed_forward_in.weight", d, feedForward()));
            p.add(new Tensor(n + "feed_forward_in.bias", 1, feedForward()));
            p.add(new Tensor(n + "feed_forward_out.weight", feedForward(), d));
            p.add(new Tensor(n + "feed_forward_out.bias", 1, d));
        }
        p.add(new Tensor("final_norm.weight", 1, d));
        p.add(new Tensor("final_norm.bias", 1, d));
        p.add(new Tensor("item_bias", 1, items));
        return p;
    }
}

package org.recsys.core.sequential;

import org.recsys.core.baseline.TransitionCounts;

/**
 * The first-order transition score fused with the model's: item j's served score after a history whose last item is
 * {@code l} is {@code q·v_j + b_j + weight · ln(1 + c(l, j))}, where {@code c(l, j)} counts how often j directly
 * followed l in the training sequences. On a sparse catalogue the model alone ranks far below that count (Beauty,
 * docs/sequential.md); the count alone ranks every item outside the last item's row by popularity, which the model
 * does better. The weight is chosen on the validation step among {@link #WEIGHTS} (0: the model alone), and each
 * item keeps its {@link #MAX_SUCCESSORS} most frequent successors, so the rows stay bounded whatever the catalogue.
 */
public final class TransitionFusion {

    /** The weights the validation step chooses among: 0 is the model alone, 32 nearly the count first. */
    static final float[] WEIGHTS = { 0f, 0.5f, 1f, 2f, 4f, 8f, 16f, 32f };
    /** Successors kept per item. */
    public static final int MAX_SUCCESSORS = 100;

    private final float weight;
    private final TransitionCounts rows;

    public TransitionFusion(float weight, TransitionCounts rows) {
        if (Float.isFinite(weight) == false || weight < 0) {
            throw new IllegalArgumentException("the transition weight must be finite and at least 0, got [" + weight + "]");
        }
        this.weight = weight;
        this.rows = rows;
    }

    /** No fusion: the model's score alone. */
    public static TransitionFusion none(int items) {
        return new TransitionFusion(0f, new TransitionCounts(new int[items + 1], new int[0], new int[0]));
    }

    public float weight() {
        return weight;
    }

    public TransitionCounts rows() {
        return rows;
    }

    /** The transition feature of a count: its logarithm, so that a few more followers do not swamp the model. */
    static float feature(int count) {
        return (float) Math.log1p(count);
    }

    /** The term added to item {@code at}'s score of {@code rows} at weight {@code w}. */
    static float term(float w, TransitionCounts rows, int at) {
        return w * feature(rows.countAt(at));
    }

    /** Adds the transition term of every successor of {@code last} (an item index, or -1 for none) to {@code scores}. */
    public void addTo(int last, float[] scores) {
        if (last < 0 || weight == 0f) {
            return;
        }
        for (int at = rows.rowStart(last); at < rows.rowEnd(last); at++) {
            scores[rows.successor(at)] += term(weight, rows, at);
        }
    }

    /** The items whose score {@link #addTo} raises after {@code last}: what a served ranking must consider besides the model's top. */
    public int[] successors(int last) {
        if (last < 0 || weight == 0f) {
            return new int[0];
        }
        int[] out = new int[rows.rowEnd(last) - rows.rowStart(last)];
        for (int at = rows.rowStart(last); at < rows.rowEnd(last); at++) {
            out[at - rows.rowStart(last)] = rows.successor(at);
        }
        return out;
    }

    /** The term {@link #addTo} adds to {@code item} after {@code last}. */
    public float term(int last, int item) {
        return last < 0 || weight == 0f ? 0f : weight * feature(rows.count(last, item));
    }
}

package org.recsys.core.tuning;

import org.recsys.core.data.InteractionMatrix;

/**
 * The validation carve-outs a search may use, made one at a time so that only one is held besides the interactions:
 * the first is where the search runs, the others re-score its finalists. Random carve-outs differ by seed; carve-outs
 * of the latest items are all the same, so there is one.
 *
 * @param times per entry of {@code full.byUser()}, its time (the latest held out), or null for random carve-outs
 */
public record CarveOuts(InteractionMatrix full, long[] times, double share, long seed) {

    /** Random carve-outs a choice is averaged over: one alone moved P1's validation NDCG@10 by ±0.003 (docs/models.md). */
    public static final int RANDOM = 3;

    public int count() {
        return times == null ? RANDOM : 1;
    }

    /** Carve-out {@code i} of {@link #count()}. */
    public ValidationSplit get(int i) {
        return ValidationSplit.carve(full, times, share, seed + i);
    }
}

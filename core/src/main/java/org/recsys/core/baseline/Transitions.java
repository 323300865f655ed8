package org.recsys.core.baseline;

/**
 * The first-order item-to-item transition model: item j's score after a history is how often j directly followed
 * the history's last item in the training sequences; items that never did (and ties) rank by popularity.
 * Counts are {@link TransitionCounts}.
 */
public final class Transitions implements NextItemScorer {

    private final TransitionCounts counts;
    private final Popularity popularity;

    /** @param sequences item indices below {@code items}, oldest first, one array per user */
    public Transitions(int[][] sequences, int items) {
        this.popularity = new Popularity(sequences, items);
        this.counts = new TransitionCounts(sequences, items);
    }

    /** How often {@code next} directly followed {@code item} in the training sequences. */
    public int count(int item, int next) {
        return counts.count(item, next);
    }

    @Override
    public void score(int[] history, float[] scores) {
        popularity.fractions(scores);
        int last = history[history.length - 1];
        for (int at = counts.rowStart(last); at < counts.rowEnd(last); at++) {
            scores[counts.successor(at)] += counts.countAt(at);
        }
    }
}

package org.recsys.core.baseline;

/** Every item scored by its number of interactions in the training sequences, whoever the user. */
public final class Popularity implements NextItemScorer {

    private final float[] counts;
    private final float max;

    /** @param sequences item indices below {@code items}, one array per user */
    public Popularity(int[][] sequences, int items) {
        counts = new float[items];
        float most = 0;
        for (int[] s : sequences) {
            for (int item : s) {
                most = Math.max(most, ++counts[item]);
            }
        }
        max = most;
    }

    /** Scores of at most 1 in item order of popularity: a tie-break below any whole count. */
    void fractions(float[] scores) {
        for (int i = 0; i < counts.length; i++) {
            scores[i] = counts[i] / (max + 1);
        }
    }

    @Override
    public void score(int[] history, float[] scores) {
        System.arraycopy(counts, 0, scores, 0, counts.length);
    }
}

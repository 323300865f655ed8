package org.recsys.core.baseline;

/** A model that scores every item as a user's next one, from the user's item indices, oldest first. */
public interface NextItemScorer {

    /** Writes one score per item index into {@code scores} (higher is better); {@code history} is not empty. */
    void score(int[] history, float[] scores);
}

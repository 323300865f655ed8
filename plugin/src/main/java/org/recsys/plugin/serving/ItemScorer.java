package org.recsys.plugin.serving;

import java.io.IOException;

/**
 * One segment's scores of a served model for one user. Documents are visited in increasing order; a call allocates
 * nothing.
 */
@FunctionalInterface
public interface ItemScorer {

    /** The model's raw score of the segment's document, or NaN when the model has nothing for that document. */
    double score(int doc) throws IOException;
}

package org.recsys.core.melu;

/**
 * One user's or item's features as embedding rows: the rows of field {@code f} (in {@link FeatureField#of} order)
 * are {@code rows[starts[f]..starts[f+1])}. A field without a known value has no rows and contributes zeros.
 *
 * @param unknownValues values given but not in the vocabulary (skipped)
 */
public record EncodedFeatures(int[] rows, int[] starts, int unknownValues) {

    public int fields() {
        return starts.length - 1;
    }
}

package org.recsys.core.melu;

import org.recsys.core.vector.FlatVectors;

import java.util.Arrays;

/**
 * The feature embedding tables at the start of the parameter array: row {@code r} at {@code r · dim}. A field's
 * vector is the mean of its rows (zeros when it has none); fields are concatenated in order.
 */
final class Embeddings {

    private final int dim;

    Embeddings(int dim) {
        this.dim = dim;
    }

    int dim() {
        return dim;
    }

    /** Writes the concatenated field vectors of {@code features} into {@code out} from {@code outOffset}. */
    void concat(float[] params, EncodedFeatures features, float[] out, int outOffset) {
        int[] rows = features.rows();
        int[] starts = features.starts();
        for (int f = 0; f < features.fields(); f++) {
            int o = outOffset + f * dim;
            Arrays.fill(out, o, o + dim, 0f);
            int count = starts[f + 1] - starts[f];
            if (count == 0) {
                continue;
            }
            float weight = 1f / count;
            for (int k = starts[f]; k < starts[f + 1]; k++) {
                FlatVectors.axpy(weight, params, rows[k] * dim, out, o, dim);
            }
        }
    }

    /** Adds the gradient of the concatenated vectors ({@code d} from {@code dOffset}) into the rows' gradients. */
    void scatter(float[] d, int dOffset, float scale, EncodedFeatures features, float[] grad) {
        int[] rows = features.rows();
        int[] starts = features.starts();
        for (int f = 0; f < features.fields(); f++) {
            int count = starts[f + 1] - starts[f];
            if (count == 0) {
                continue;
            }
            float weight = scale / count;
            for (int k = starts[f]; k < starts[f + 1]; k++) {
                FlatVectors.axpy(weight, d, dOffset + f * dim, grad, rows[k] * dim, dim);
            }
        }
    }
}

package org.recsys.core.projection;

/**
 * A linear map with bias and no activation from text vectors (dimension d) into the latent space of a factor model
 * (rank k): {@code factor = Wᵀ·text + b}. {@code weights} holds W row by row (d rows of k) followed by b, so the
 * whole map is one flat array of (d+1)·k floats that the model store keeps as it is.
 */
public record Projection(int inputDimension, int rank, float[] weights) {

    public Projection {
        if (weights.length != (inputDimension + 1) * rank) {
            throw new IllegalArgumentException(
                "a projection from "
                    + inputDimension
                    + " to "
                    + rank
                    + " dims has "
                    + (inputDimension + 1) * rank
                    + " weights, not "
                    + weights.length
            );
        }
    }

    /** The factor of one text vector; refuses a vector of another dimension or with a non-finite value. */
    public float[] project(float[] text) {
        if (text.length != inputDimension) {
            throw new IllegalArgumentException("the text vector has " + text.length + " dims; the projection expects " + inputDimension);
        }
        float[] out = new float[rank];
        System.arraycopy(weights, inputDimension * rank, out, 0, rank);
        for (int i = 0; i < inputDimension; i++) {
            float t = text[i];
            if (Float.isFinite(t) == false) {
                throw new IllegalArgumentException("the text vector has a non-finite value [" + t + "] at [" + i + "]");
            }
            int row = i * rank;
            for (int c = 0; c < rank; c++) {
                out[c] += t * weights[row + c];
            }
        }
        return out;
    }
}

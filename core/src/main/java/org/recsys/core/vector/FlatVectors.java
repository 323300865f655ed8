package org.recsys.core.vector;

/**
 * Dot products and updates on rows of flat {@code float[]} matrices (row {@code r} of a rank-k matrix starts at
 * {@code r * k}). Lucene's {@code VectorUtil} takes whole arrays only, and on JDK 17 runs the same scalar loop as
 * this one (four fused multiply-add accumulators), so rows are read in place rather than copied out.
 */
public final class FlatVectors {

    private FlatVectors() {}

    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
        int i = 0;
        for (int upper = length & ~3; i < upper; i += 4) {
            acc0 = Math.fma(a[aOffset + i], b[bOffset + i], acc0);
            acc1 = Math.fma(a[aOffset + i + 1], b[bOffset + i + 1], acc1);
            acc2 = Math.fma(a[aOffset + i + 2], b[bOffset + i + 2], acc2);
            acc3 = Math.fma(a[aOffset + i + 3], b[bOffset + i + 3], acc3);
        }
        float sum = (acc0 + acc1) + (acc2 + acc3);
        for (; i < length; i++) {
            sum = Math.fma(a[aOffset + i], b[bOffset + i], sum);
        }
        return sum;
    }

    /** {@code y[yOffset ..] += alpha * x[xOffset ..]} over {@code length} elements. */
    public static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        for (int i = 0; i < length; i++) {
            y[yOffset + i] = Math.fma(alpha, x[xOffset + i], y[yOffset + i]);
        }
    }
}

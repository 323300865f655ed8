package org.recsys.core.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link FlatVectors} kernels on the JVM's preferred SIMD width; loaded only when {@code jdk.incubator.vector} is. */
final class PanamaKernels implements FlatVectors.Kernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int lanes = SPECIES.length();
        int i = 0;
        float sum = 0;
        if (length >= 2 * lanes) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            for (int upper = length - length % (2 * lanes); i < upper; i += 2 * lanes) {
                acc0 = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(FloatVector.fromArray(SPECIES, b, bOffset + i), acc0);
                acc1 = FloatVector.fromArray(SPECIES, a, aOffset + i + lanes).fma(FloatVector.fromArray(SPECIES, b, bOffset + i + lanes), acc1);
            }
            sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
        for (; i < length; i++) {
            sum = Math.fma(a[aOffset + i], b[bOffset + i], sum);
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        int lanes = SPECIES.length();
        int i = 0;
        FloatVector va = FloatVector.broadcast(SPECIES, alpha);
        for (int upper = length - length % lanes; i < upper; i += lanes) {
            FloatVector.fromArray(SPECIES, x, xOffset + i).fma(va, FloatVector.fromArray(SPECIES, y, yOffset + i)).intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] = Math.fma(alpha, x[xOffset + i], y[yOffset + i]);
        }
    }

    /**
     * Eight entries at a time: v is loaded once for eight dot products, their lane reductions are independent of each
     * other, and each block of {@code out} is read and written once per eight rows instead of once per row.
     */
    @Override
    public void addRowsWeightedByDot(float[] rows, int base, int k, int[] cols, float[] w, int from, int to, float[] v, int vOffset,
                                     float c0, float c1, float c2, float[] out) {
        int lanes = SPECIES.length();
        int full = k - k % lanes;
        int j = from;
        for (; j + 8 <= to; j += 8) {
            int y0 = base + cols[j] * k;
            int y1 = base + cols[j + 1] * k;
            int y2 = base + cols[j + 2] * k;
            int y3 = base + cols[j + 3] * k;
            int y4 = base + cols[j + 4] * k;
            int y5 = base + cols[j + 5] * k;
            int y6 = base + cols[j + 6] * k;
            int y7 = base + cols[j + 7] * k;
            FloatVector d0 = FloatVector.zero(SPECIES);
            FloatVector d1 = d0;
            FloatVector d2 = d0;
            FloatVector d3 = d0;
            FloatVector d4 = d0;
            FloatVector d5 = d0;
            FloatVector d6 = d0;
            FloatVector d7 = d0;
            for (int c = 0; c < full; c += lanes) {
                FloatVector vc = FloatVector.fromArray(SPECIES, v, vOffset + c);
                d0 = FloatVector.fromArray(SPECIES, rows, y0 + c).fma(vc, d0);
                d1 = FloatVector.fromArray(SPECIES, rows, y1 + c).fma(vc, d1);
                d2 = FloatVector.fromArray(SPECIES, rows, y2 + c).fma(vc, d2);
                d3 = FloatVector.fromArray(SPECIES, rows, y3 + c).fma(vc, d3);
                d4 = FloatVector.fromArray(SPECIES, rows, y4 + c).fma(vc, d4);
                d5 = FloatVector.fromArray(SPECIES, rows, y5 + c).fma(vc, d5);
                d6 = FloatVector.fromArray(SPECIES, rows, y6 + c).fma(vc, d6);
                d7 = FloatVector.fromArray(SPECIES, rows, y7 + c).fma(vc, d7);
            }
            float a0 = c0 + w[j] * (c1 + c2 * (d0.reduceLanes(VectorOperators.ADD) + tailDot(rows, y0, v, vOffset, full, k)));
            float a1 = c0 + w[j + 1] * (c1 + c2 * (d1.reduceLanes(VectorOperators.ADD) + tailDot(rows, y1, v, vOffset, full, k)));
            float a2 = c0 + w[j + 2] * (c1 + c2 * (d2.reduceLanes(VectorOperators.ADD) + tailDot(rows, y2, v, vOffset, full, k)));
            float a3 = c0 + w[j + 3] * (c1 + c2 * (d3.reduceLanes(VectorOperators.ADD) + tailDot(rows, y3, v, vOffset, full, k)));
            float a4 = c0 + w[j + 4] * (c1 + c2 * (d4.reduceLanes(VectorOperators.ADD) + tailDot(rows, y4, v, vOffset, full, k)));
            float a5 = c0 + w[j + 5] * (c1 + c2 * (d5.reduceLanes(VectorOperators.ADD) + tailDot(rows, y5, v, vOffset, full, k)));
            float a6 = c0 + w[j + 6] * (c1 + c2 * (d6.reduceLanes(VectorOperators.ADD) + tailDot(rows, y6, v, vOffset, full, k)));
            float a7 = c0 + w[j + 7] * (c1 + c2 * (d7.reduceLanes(VectorOperators.ADD) + tailDot(rows, y7, v, vOffset, full, k)));
            FloatVector b0 = FloatVector.broadcast(SPECIES, a0);
            FloatVector b1 = FloatVector.broadcast(SPECIES, a1);
            FloatVector b2 = FloatVector.broadcast(SPECIES, a2);
            FloatVector b3 = FloatVector.broadcast(SPECIES, a3);
            FloatVector b4 = FloatVector.broadcast(SPECIES, a4);
            FloatVector b5 = FloatVector.broadcast(SPECIES, a5);
            FloatVector b6 = FloatVector.broadcast(SPECIES, a6);
            FloatVector b7 = FloatVector.broadcast(SPECIES, a7);
            for (int c = 0; c < full; c += lanes) {
                // Two chains of four FMAs, so neither waits on the other's latency.
                FloatVector even = FloatVector.fromArray(SPECIES, rows, y0 + c).fma(b0, FloatVector.fromArray(SPECIES, out, c));
                FloatVector odd = FloatVector.fromArray(SPECIES, rows, y1 + c).mul(b1);
                even = FloatVector.fromArray(SPECIES, rows, y2 + c).fma(b2, even);
                odd = FloatVector.fromArray(SPECIES, rows, y3 + c).fma(b3, odd);
                even = FloatVector.fromArray(SPECIES, rows, y4 + c).fma(b4, even);
                odd = FloatVector.fromArray(SPECIES, rows, y5 + c).fma(b5, odd);
                even = FloatVector.fromArray(SPECIES, rows, y6 + c).fma(b6, even);
                odd = FloatVector.fromArray(SPECIES, rows, y7 + c).fma(b7, odd);
                even.add(odd).intoArray(out, c);
            }
            for (int c = full; c < k; c++) {
                out[c] += a0 * rows[y0 + c] + a1 * rows[y1 + c] + a2 * rows[y2 + c] + a3 * rows[y3 + c]
                    + a4 * rows[y4 + c] + a5 * rows[y5 + c] + a6 * rows[y6 + c] + a7 * rows[y7 + c];
            }
        }
        for (; j < to; j++) {
            int y = base + cols[j] * k;
            axpy(c0 + w[j] * (c1 + c2 * dot(rows, y, v, vOffset, k)), rows, y, out, 0, k);
        }
    }

    /** The part of a dot product past the last full SIMD block. */
    private static float tailDot(float[] a, int aOffset, float[] b, int bOffset, int from, int length) {
        float sum = 0;
        for (int i = from; i < length; i++) {
            sum = Math.fma(a[aOffset + i], b[bOffset + i], sum);
        }
        return sum;
    }

    @Override
    public void vectorTimesMatrix(float[] v, int vOffset, float[] m, int n, float[] out) {
        int lanes = SPECIES.length();
        int c = 0;
        // One block of columns at a time, its sum held in four registers over the rows of M.
        for (int upper = n - n % lanes; c < upper; c += lanes) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            int i = 0;
            for (int rows = n & ~3; i < rows; i += 4) {
                int row = i * n + c;
                acc0 = FloatVector.fromArray(SPECIES, m, row).fma(FloatVector.broadcast(SPECIES, v[vOffset + i]), acc0);
                acc1 = FloatVector.fromArray(SPECIES, m, row + n).fma(FloatVector.broadcast(SPECIES, v[vOffset + i + 1]), acc1);
                acc2 = FloatVector.fromArray(SPECIES, m, row + 2 * n).fma(FloatVector.broadcast(SPECIES, v[vOffset + i + 2]), acc2);
                acc3 = FloatVector.fromArray(SPECIES, m, row + 3 * n).fma(FloatVector.broadcast(SPECIES, v[vOffset + i + 3]), acc3);
            }
            for (; i < n; i++) {
                acc0 = FloatVector.fromArray(SPECIES, m, i * n + c).fma(FloatVector.broadcast(SPECIES, v[vOffset + i]), acc0);
            }
            acc0.add(acc1).add(acc2.add(acc3)).intoArray(out, c);
        }
        for (; c < n; c++) {
            float sum = 0;
            for (int i = 0; i < n; i++) {
                sum = Math.fma(v[vOffset + i], m[i * n + c], sum);
            }
            out[c] = sum;
        }
    }
}

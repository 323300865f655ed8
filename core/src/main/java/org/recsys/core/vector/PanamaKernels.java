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

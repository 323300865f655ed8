package org.recsys.core.vector;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FlatVectorsTest {

    /** Surefire adds jdk.incubator.vector, so the SIMD kernels are the ones that run. */
    @Test
    void theTestJvmRunsTheSimdKernels() {
        assertEquals("panama", FlatVectors.implementation());
    }

    @Test
    void simdAndScalarKernelsAgreeAtEveryLengthAndOffset() {
        Random random = new Random(5);
        float[] a = new float[300];
        float[] b = new float[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }
        FlatVectors.Kernels scalar = new FlatVectors.ScalarKernels();
        FlatVectors.Kernels simd = new PanamaKernels();
        for (int length : new int[]{ 0, 1, 3, 7, 8, 15, 16, 17, 31, 64, 100, 128, 129 }) {
            for (int offset : new int[]{ 0, 1, 5, 64 }) {
                double exact = 0;
                for (int i = 0; i < length; i++) {
                    exact += (double) a[offset + i] * b[3 + i];
                }
                assertEquals(exact, scalar.dot(a, offset, b, 3, length), 1e-4 * Math.max(1, Math.abs(exact)));
                assertEquals(exact, simd.dot(a, offset, b, 3, length), 1e-4 * Math.max(1, Math.abs(exact)));
                float[] y1 = b.clone();
                float[] y2 = b.clone();
                scalar.axpy(0.7f, a, offset, y1, 3, length);
                simd.axpy(0.7f, a, offset, y2, 3, length);
                assertArrayEquals(y1, y2, 1e-6f);
            }
        }
    }

    @Test
    void vectorTimesMatrixIsTheSumOfScaledRowsAtEveryOrder() {
        Random random = new Random(9);
        FlatVectors.Kernels scalar = new FlatVectors.ScalarKernels();
        FlatVectors.Kernels simd = new PanamaKernels();
        for (int n : new int[]{ 1, 3, 8, 15, 16, 17, 33, 64, 70 }) {
            float[] m = new float[n * n];
            float[] v = new float[n + 2];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            float[] exact = new float[n];
            for (int c = 0; c < n; c++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += (double) v[2 + i] * m[i * n + c];
                }
                exact[c] = (float) sum;
            }
            for (FlatVectors.Kernels kernels : new FlatVectors.Kernels[]{ scalar, simd }) {
                float[] out = new float[n + 1];
                out[n] = 42f;
                java.util.Arrays.fill(out, 0, n, Float.NaN); // overwritten, not added to
                kernels.vectorTimesMatrix(v, 2, m, n, out);
                assertArrayEquals(exact, java.util.Arrays.copyOf(out, n), 1e-4f * n, "n = " + n);
                assertEquals(42f, out[n], "wrote past n");
            }
        }
    }

    @Test
    void rowsWeightedByTheirDotMatchTheDefinitionForEveryBlockAndTail() {
        Random random = new Random(13);
        FlatVectors.Kernels scalar = new FlatVectors.ScalarKernels();
        FlatVectors.Kernels simd = new PanamaKernels();
        for (int k : new int[]{ 1, 8, 15, 16, 17, 64, 70 }) {
            int base = 5;
            int n = 40;
            float[] rows = new float[base + n * k];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) random.nextGaussian();
            }
            float[] v = new float[k + 3];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            int[] cols = new int[20];
            float[] w = new float[cols.length];
            for (int j = 0; j < cols.length; j++) {
                cols[j] = random.nextInt(n);
                w[j] = 1 + random.nextFloat();
            }
            cols[3] = cols[2]; // a row may repeat
            for (int[] range : new int[][]{ { 0, 0 }, { 2, 3 }, { 1, 8 }, { 0, 9 }, { 3, 20 } }) {
                double[] exact = new double[k];
                for (int j = range[0]; j < range[1]; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += (double) rows[base + cols[j] * k + c] * v[3 + c];
                    }
                    double a = 0.5 + w[j] * (1 - 2 * s);
                    for (int c = 0; c < k; c++) {
                        exact[c] += a * rows[base + cols[j] * k + c];
                    }
                }
                for (FlatVectors.Kernels kernels : new FlatVectors.Kernels[]{ scalar, simd }) {
                    float[] out = new float[k + 3];
                    java.util.Arrays.fill(out, 1f); // added to, not overwritten
                    kernels.addRowsWeightedByDot(rows, base, k, cols, w, range[0], range[1], v, 3, 0.5f, 1f, -2f, out, 2);
                    for (int c = 0; c < k; c++) {
                        assertEquals(
                            1 + exact[c],
                            out[2 + c],
                            1e-3 * Math.max(1, Math.abs(exact[c])),
                            "k = " + k + ", entries " + java.util.Arrays.toString(range) + ", component " + c
                        );
                    }
                    assertEquals(1f, out[1], "wrote before outOffset");
                    assertEquals(1f, out[k + 2], "wrote past k");
                }
            }
        }
    }

    @Test
    void oneRowScatteredIntoManyMatchesTheDefinitionForEveryBlockAndTail() {
        Random random = new Random(17);
        FlatVectors.Kernels scalar = new FlatVectors.ScalarKernels();
        FlatVectors.Kernels simd = new PanamaKernels();
        for (int k : new int[]{ 1, 8, 15, 16, 17, 64, 70 }) {
            int base = 3;
            int n = 30;
            float[] v = new float[base + n * k];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            float[] x = new float[k + 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            int[] targets = new int[20];
            float[] w = new float[targets.length];
            for (int j = 0; j < targets.length; j++) {
                targets[j] = (j * 7) % n; // distinct
                w[j] = 1 + random.nextFloat();
            }
            for (int[] range : new int[][]{ { 0, 0 }, { 2, 3 }, { 1, 8 }, { 0, 9 }, { 3, 20 } }) {
                float[] exact = new float[base + n * k];
                java.util.Arrays.fill(exact, 1f);
                for (int j = range[0]; j < range[1]; j++) {
                    int t = base + targets[j] * k;
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += (double) x[5 + c] * v[t + c];
                    }
                    double a = 0.5 + w[j] * (1 - 2 * s);
                    for (int c = 0; c < k; c++) {
                        exact[t + c] += (float) (a * x[5 + c]);
                    }
                }
                for (FlatVectors.Kernels kernels : new FlatVectors.Kernels[]{ scalar, simd }) {
                    float[] out = new float[base + n * k];
                    java.util.Arrays.fill(out, 1f); // added to, not overwritten
                    kernels.scatterRowWeightedByDot(x, 5, k, targets, w, range[0], range[1], v, base, 0.5f, 1f, -2f, out);
                    for (int i = 0; i < out.length; i++) {
                        assertEquals(
                            exact[i],
                            out[i],
                            1e-3 * Math.max(1, Math.abs(exact[i])),
                            "k = " + k + ", entries " + java.util.Arrays.toString(range) + ", element " + i
                        );
                    }
                }
            }
        }
    }
}

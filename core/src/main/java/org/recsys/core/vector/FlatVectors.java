package org.recsys.core.vector;

/**
 * Dot products and updates on rows of flat {@code float[]} matrices (row {@code r} of a rank-k matrix starts at
 * {@code r * k}). Lucene 9.12's {@code VectorUtil} takes whole arrays only, so rows are read in place here. When
 * the JVM has {@code jdk.incubator.vector} ({@code --add-modules jdk.incubator.vector}: {@code scripts/recsys} and
 * {@code scripts/node} pass it, Elasticsearch itself only from JDK 20) the loops run on SIMD lanes; otherwise on the
 * scalar four-accumulator loop that Lucene itself falls back to on JDK 17.
 */
public final class FlatVectors {

    /** The two kernels; one implementation is chosen once, so calls stay monomorphic. */
    interface Kernels {
        float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

        void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length);

        void vectorTimesMatrix(float[] v, int vOffset, float[] m, int n, float[] out);

        void addRowsWeightedByDot(
            float[] rows,
            int base,
            int k,
            int[] cols,
            float[] w,
            int from,
            int to,
            float[] v,
            int vOffset,
            float c0,
            float c1,
            float c2,
            float[] out,
            int outOffset
        );

        void scatterRowWeightedByDot(
            float[] x,
            int xOffset,
            int k,
            int[] targets,
            float[] w,
            int from,
            int to,
            float[] v,
            int base,
            float c0,
            float c1,
            float c2,
            float[] out
        );
    }

    private static final Kernels KERNELS = choose();

    private FlatVectors() {}

    private static Kernels choose() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Kernels) Class.forName("org.recsys.core.vector.PanamaKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarKernels();
            }
        }
        return new ScalarKernels();
    }

    /** Which kernels run: {@code panama} or {@code scalar}. */
    public static String implementation() {
        return KERNELS instanceof ScalarKernels ? "scalar" : "panama";
    }

    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return KERNELS.dot(a, aOffset, b, bOffset, length);
    }

    /** {@code y[yOffset ..] += alpha * x[xOffset ..]} over {@code length} elements. */
    public static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        KERNELS.axpy(alpha, x, xOffset, y, yOffset, length);
    }

    /**
     * {@code out[0 .. n) = vᵀ·M} for a square n×n row-major {@code m}: M·v when M is symmetric, as Gram matrices are.
     * A sum of scaled rows of M, so no result waits on a horizontal reduction.
     */
    public static void vectorTimesMatrix(float[] v, int vOffset, float[] m, int n, float[] out) {
        KERNELS.vectorTimesMatrix(v, vOffset, m, n, out);
    }

    /**
     * {@code out[outOffset .. outOffset + k) += Σ_j (c0 + w[j]·(c1 + c2·(y_j·v)))·y_j} over entries j in [from, to), where y_j is the row of
     * {@code rows} at {@code base + cols[j] * k} and v is {@code v[vOffset .. vOffset + k)}: one pass of a
     * least-squares solver over the gathered rows of one system, each weight depending on the row's dot with v.
     */
    public static void addRowsWeightedByDot(
        float[] rows,
        int base,
        int k,
        int[] cols,
        float[] w,
        int from,
        int to,
        float[] v,
        int vOffset,
        float c0,
        float c1,
        float c2,
        float[] out,
        int outOffset
    ) {
        KERNELS.addRowsWeightedByDot(rows, base, k, cols, w, from, to, v, vOffset, c0, c1, c2, out, outOffset);
    }

    /**
     * The transpose of {@link #addRowsWeightedByDot}: one row x ({@code x[xOffset .. xOffset + k)}) added to many
     * outputs. For each entry j in [from, to), with t = {@code targets[j]}, v_t and out_t the rows at
     * {@code base + t * k} of {@code v} and {@code out}: {@code out_t += (c0 + w[j]·(c1 + c2·(x·v_t)))·x}. Targets
     * within one call must be distinct.
     */
    public static void scatterRowWeightedByDot(
        float[] x,
        int xOffset,
        int k,
        int[] targets,
        float[] w,
        int from,
        int to,
        float[] v,
        int base,
        float c0,
        float c1,
        float c2,
        float[] out
    ) {
        KERNELS.scatterRowWeightedByDot(x, xOffset, k, targets, w, from, to, v, base, c0, c1, c2, out);
    }

    static final class ScalarKernels implements Kernels {
        @Override
        public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
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

        @Override
        public void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
            for (int i = 0; i < length; i++) {
                y[yOffset + i] = Math.fma(alpha, x[xOffset + i], y[yOffset + i]);
            }
        }

        @Override
        public void addRowsWeightedByDot(
            float[] rows,
            int base,
            int k,
            int[] cols,
            float[] w,
            int from,
            int to,
            float[] v,
            int vOffset,
            float c0,
            float c1,
            float c2,
            float[] out,
            int outOffset
        ) {
            for (int j = from; j < to; j++) {
                int y = base + cols[j] * k;
                axpy(c0 + w[j] * (c1 + c2 * dot(rows, y, v, vOffset, k)), rows, y, out, outOffset, k);
            }
        }

        @Override
        public void scatterRowWeightedByDot(
            float[] x,
            int xOffset,
            int k,
            int[] targets,
            float[] w,
            int from,
            int to,
            float[] v,
            int base,
            float c0,
            float c1,
            float c2,
            float[] out
        ) {
            for (int j = from; j < to; j++) {
                int t = base + targets[j] * k;
                axpy(c0 + w[j] * (c1 + c2 * dot(x, xOffset, v, t, k)), x, xOffset, out, t, k);
            }
        }

        @Override
        public void vectorTimesMatrix(float[] v, int vOffset, float[] m, int n, float[] out) {
            java.util.Arrays.fill(out, 0, n, 0f);
            for (int i = 0; i < n; i++) {
                axpy(v[vOffset + i], m, i * n, out, 0, n);
            }
        }
    }
}

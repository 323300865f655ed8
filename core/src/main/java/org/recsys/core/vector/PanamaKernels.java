package org.recsys.core.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** {@link FlatVectors} kernels on the JVM's preferred SIMD width; loaded only when {@code jdk.incubator.vector} is. */
final class PanamaKernels implements FlatVectors.Kernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /*
     * Eight dot products end in one reduction tree instead of eight reduceLanes: on JDK 17, reduceLanes(ADD) of a float
     * vector is a strictly ordered chain of scalar adds (16 for AVX-512), which cost more than the products themselves
     * in the kernels below. Each level adds two vectors' halves pairwise (blend + rearrange + add), halving the lanes
     * each partial sum occupies; after log2(lanes) levels lane LANE_i holds the whole sum of accumulator i. Needs at
     * least eight lanes; narrower species use reduceLanes.
     */
    private static final int LANES = SPECIES.length();
    private static final boolean TREE = LANES == 8 || LANES == 16;
    private static final VectorMask<Float> HIGH_1 = bitMask(LANES / 2);
    private static final VectorMask<Float> HIGH_2 = bitMask(LANES / 4);
    private static final VectorMask<Float> HIGH_3 = bitMask(LANES / 8);
    private static final VectorShuffle<Float> SWAP_1 = xorShuffle(LANES / 2);
    private static final VectorShuffle<Float> SWAP_2 = xorShuffle(LANES / 4);
    private static final VectorShuffle<Float> SWAP_3 = xorShuffle(LANES / 8);
    private static final VectorShuffle<Float> SWAP_4 = xorShuffle(LANES / 16);
    private static final int LANE_0 = treeLane(0);
    private static final int LANE_1 = treeLane(1);
    private static final int LANE_2 = treeLane(2);
    private static final int LANE_3 = treeLane(3);
    private static final int LANE_4 = treeLane(4);
    private static final int LANE_5 = treeLane(5);
    private static final int LANE_6 = treeLane(6);
    private static final int LANE_7 = treeLane(7);

    private static VectorMask<Float> bitMask(int bit) {
        boolean[] set = new boolean[LANES];
        for (int i = 0; i < LANES; i++) {
            set[i] = bit > 0 && (i & bit) != 0;
        }
        return VectorMask.fromArray(SPECIES, set, 0);
    }

    private static VectorShuffle<Float> xorShuffle(int bit) {
        return VectorShuffle.fromOp(SPECIES, i -> bit > 0 ? i ^ bit : i);
    }

    /** Accumulator i ends in the lanes whose bits LANES/2, LANES/4, LANES/8 are the bits 0, 1, 2 of i. */
    private static int treeLane(int i) {
        return (i & 1) * (LANES / 2) + ((i >> 1) & 1) * (LANES / 4) + ((i >> 2) & 1) * (LANES / 8);
    }

    /**
     * The sums of d0..d7, accumulator i's in lane LANE_i. Each step blends two vectors both ways and adds one to the
     * other with its halves swapped, so lanes with the step's bit clear hold pairwise sums of the first, the others
     * of the second. The masks and shuffles are read from constants here: passed as arguments, C2 (JDK 17) no longer
     * treats them as constants and the tree costs more than the reductions it replaces.
     */
    private static FloatVector sums8(
        FloatVector d0,
        FloatVector d1,
        FloatVector d2,
        FloatVector d3,
        FloatVector d4,
        FloatVector d5,
        FloatVector d6,
        FloatVector d7
    ) {
        FloatVector s01 = d0.blend(d1, HIGH_1).add(d1.blend(d0, HIGH_1).rearrange(SWAP_1));
        FloatVector s23 = d2.blend(d3, HIGH_1).add(d3.blend(d2, HIGH_1).rearrange(SWAP_1));
        FloatVector s45 = d4.blend(d5, HIGH_1).add(d5.blend(d4, HIGH_1).rearrange(SWAP_1));
        FloatVector s67 = d6.blend(d7, HIGH_1).add(d7.blend(d6, HIGH_1).rearrange(SWAP_1));
        FloatVector s03 = s01.blend(s23, HIGH_2).add(s23.blend(s01, HIGH_2).rearrange(SWAP_2));
        FloatVector s47 = s45.blend(s67, HIGH_2).add(s67.blend(s45, HIGH_2).rearrange(SWAP_2));
        FloatVector u = s03.blend(s47, HIGH_3).add(s47.blend(s03, HIGH_3).rearrange(SWAP_3));
        // Past eight lanes each sum still spans two.
        return LANES == 16 ? u.add(u.rearrange(SWAP_4)) : u;
    }

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
                acc1 = FloatVector.fromArray(SPECIES, a, aOffset + i + lanes)
                    .fma(FloatVector.fromArray(SPECIES, b, bOffset + i + lanes), acc1);
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
            FloatVector.fromArray(SPECIES, x, xOffset + i)
                .fma(va, FloatVector.fromArray(SPECIES, y, yOffset + i))
                .intoArray(y, yOffset + i);
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
        int lanes = SPECIES.length();
        int full = k - k % lanes;
        int last = to - 1;
        // A last block of fewer than eight entries repeats the last entry with a coefficient of zero.
        for (int j = from; j < to; j += 8) {
            int y0 = base + cols[j] * k;
            int y1 = base + cols[Math.min(j + 1, last)] * k;
            int y2 = base + cols[Math.min(j + 2, last)] * k;
            int y3 = base + cols[Math.min(j + 3, last)] * k;
            int y4 = base + cols[Math.min(j + 4, last)] * k;
            int y5 = base + cols[Math.min(j + 5, last)] * k;
            int y6 = base + cols[Math.min(j + 6, last)] * k;
            int y7 = base + cols[Math.min(j + 7, last)] * k;
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
            float s0, s1, s2, s3, s4, s5, s6, s7;
            if (TREE) {
                FloatVector u = sums8(d0, d1, d2, d3, d4, d5, d6, d7);
                s0 = u.lane(LANE_0);
                s1 = u.lane(LANE_1);
                s2 = u.lane(LANE_2);
                s3 = u.lane(LANE_3);
                s4 = u.lane(LANE_4);
                s5 = u.lane(LANE_5);
                s6 = u.lane(LANE_6);
                s7 = u.lane(LANE_7);
            } else {
                s0 = d0.reduceLanes(VectorOperators.ADD);
                s1 = d1.reduceLanes(VectorOperators.ADD);
                s2 = d2.reduceLanes(VectorOperators.ADD);
                s3 = d3.reduceLanes(VectorOperators.ADD);
                s4 = d4.reduceLanes(VectorOperators.ADD);
                s5 = d5.reduceLanes(VectorOperators.ADD);
                s6 = d6.reduceLanes(VectorOperators.ADD);
                s7 = d7.reduceLanes(VectorOperators.ADD);
            }
            if (full < k) {
                // Not taken when k is a multiple of the lane count; the calls are too many to inline in this kernel.
                s0 += tailDot(rows, y0, v, vOffset, full, k);
                s1 += tailDot(rows, y1, v, vOffset, full, k);
                s2 += tailDot(rows, y2, v, vOffset, full, k);
                s3 += tailDot(rows, y3, v, vOffset, full, k);
                s4 += tailDot(rows, y4, v, vOffset, full, k);
                s5 += tailDot(rows, y5, v, vOffset, full, k);
                s6 += tailDot(rows, y6, v, vOffset, full, k);
                s7 += tailDot(rows, y7, v, vOffset, full, k);
            }
            float a0 = c0 + w[j] * (c1 + c2 * s0);
            float a1 = j + 1 <= last ? c0 + w[j + 1] * (c1 + c2 * s1) : 0f;
            float a2 = j + 2 <= last ? c0 + w[j + 2] * (c1 + c2 * s2) : 0f;
            float a3 = j + 3 <= last ? c0 + w[j + 3] * (c1 + c2 * s3) : 0f;
            float a4 = j + 4 <= last ? c0 + w[j + 4] * (c1 + c2 * s4) : 0f;
            float a5 = j + 5 <= last ? c0 + w[j + 5] * (c1 + c2 * s5) : 0f;
            float a6 = j + 6 <= last ? c0 + w[j + 6] * (c1 + c2 * s6) : 0f;
            float a7 = j + 7 <= last ? c0 + w[j + 7] * (c1 + c2 * s7) : 0f;
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
                FloatVector even = FloatVector.fromArray(SPECIES, rows, y0 + c).fma(b0, FloatVector.fromArray(SPECIES, out, outOffset + c));
                FloatVector odd = FloatVector.fromArray(SPECIES, rows, y1 + c).mul(b1);
                even = FloatVector.fromArray(SPECIES, rows, y2 + c).fma(b2, even);
                odd = FloatVector.fromArray(SPECIES, rows, y3 + c).fma(b3, odd);
                even = FloatVector.fromArray(SPECIES, rows, y4 + c).fma(b4, even);
                odd = FloatVector.fromArray(SPECIES, rows, y5 + c).fma(b5, odd);
                even = FloatVector.fromArray(SPECIES, rows, y6 + c).fma(b6, even);
                odd = FloatVector.fromArray(SPECIES, rows, y7 + c).fma(b7, odd);
                even.add(odd).intoArray(out, outOffset + c);
            }
            for (int c = full; c < k; c++) {
                out[outOffset + c] += a0 * rows[y0 + c] + a1 * rows[y1 + c] + a2 * rows[y2 + c] + a3 * rows[y3 + c] + a4 * rows[y4 + c]
                    + a5 * rows[y5 + c] + a6 * rows[y6 + c] + a7 * rows[y7 + c];
            }
        }
    }

    /**
     * Eight entries at a time: each block of x is loaded once for eight dot products and eight updates, and the dot
     * products end in one reduction tree.
     */
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
        int lanes = SPECIES.length();
        int full = k - k % lanes;
        int last = to - 1;
        // A last block of fewer than eight entries repeats the last entry with a coefficient of zero.
        for (int j = from; j < to; j += 8) {
            int t0 = base + targets[j] * k;
            int t1 = base + targets[Math.min(j + 1, last)] * k;
            int t2 = base + targets[Math.min(j + 2, last)] * k;
            int t3 = base + targets[Math.min(j + 3, last)] * k;
            int t4 = base + targets[Math.min(j + 4, last)] * k;
            int t5 = base + targets[Math.min(j + 5, last)] * k;
            int t6 = base + targets[Math.min(j + 6, last)] * k;
            int t7 = base + targets[Math.min(j + 7, last)] * k;
            FloatVector d0 = FloatVector.zero(SPECIES);
            FloatVector d1 = d0;
            FloatVector d2 = d0;
            FloatVector d3 = d0;
            FloatVector d4 = d0;
            FloatVector d5 = d0;
            FloatVector d6 = d0;
            FloatVector d7 = d0;
            for (int c = 0; c < full; c += lanes) {
                FloatVector xc = FloatVector.fromArray(SPECIES, x, xOffset + c);
                d0 = FloatVector.fromArray(SPECIES, v, t0 + c).fma(xc, d0);
                d1 = FloatVector.fromArray(SPECIES, v, t1 + c).fma(xc, d1);
                d2 = FloatVector.fromArray(SPECIES, v, t2 + c).fma(xc, d2);
                d3 = FloatVector.fromArray(SPECIES, v, t3 + c).fma(xc, d3);
                d4 = FloatVector.fromArray(SPECIES, v, t4 + c).fma(xc, d4);
                d5 = FloatVector.fromArray(SPECIES, v, t5 + c).fma(xc, d5);
                d6 = FloatVector.fromArray(SPECIES, v, t6 + c).fma(xc, d6);
                d7 = FloatVector.fromArray(SPECIES, v, t7 + c).fma(xc, d7);
            }
            float s0, s1, s2, s3, s4, s5, s6, s7;
            if (TREE) {
                FloatVector u = sums8(d0, d1, d2, d3, d4, d5, d6, d7);
                s0 = u.lane(LANE_0);
                s1 = u.lane(LANE_1);
                s2 = u.lane(LANE_2);
                s3 = u.lane(LANE_3);
                s4 = u.lane(LANE_4);
                s5 = u.lane(LANE_5);
                s6 = u.lane(LANE_6);
                s7 = u.lane(LANE_7);
            } else {
                s0 = d0.reduceLanes(VectorOperators.ADD);
                s1 = d1.reduceLanes(VectorOperators.ADD);
                s2 = d2.reduceLanes(VectorOperators.ADD);
                s3 = d3.reduceLanes(VectorOperators.ADD);
                s4 = d4.reduceLanes(VectorOperators.ADD);
                s5 = d5.reduceLanes(VectorOperators.ADD);
                s6 = d6.reduceLanes(VectorOperators.ADD);
                s7 = d7.reduceLanes(VectorOperators.ADD);
            }
            if (full < k) {
                // Not taken when k is a multiple of the lane count; the calls are too many to inline in this kernel.
                s0 += tailDot(v, t0, x, xOffset, full, k);
                s1 += tailDot(v, t1, x, xOffset, full, k);
                s2 += tailDot(v, t2, x, xOffset, full, k);
                s3 += tailDot(v, t3, x, xOffset, full, k);
                s4 += tailDot(v, t4, x, xOffset, full, k);
                s5 += tailDot(v, t5, x, xOffset, full, k);
                s6 += tailDot(v, t6, x, xOffset, full, k);
                s7 += tailDot(v, t7, x, xOffset, full, k);
            }
            float a0 = c0 + w[j] * (c1 + c2 * s0);
            float a1 = j + 1 <= last ? c0 + w[j + 1] * (c1 + c2 * s1) : 0f;
            float a2 = j + 2 <= last ? c0 + w[j + 2] * (c1 + c2 * s2) : 0f;
            float a3 = j + 3 <= last ? c0 + w[j + 3] * (c1 + c2 * s3) : 0f;
            float a4 = j + 4 <= last ? c0 + w[j + 4] * (c1 + c2 * s4) : 0f;
            float a5 = j + 5 <= last ? c0 + w[j + 5] * (c1 + c2 * s5) : 0f;
            float a6 = j + 6 <= last ? c0 + w[j + 6] * (c1 + c2 * s6) : 0f;
            float a7 = j + 7 <= last ? c0 + w[j + 7] * (c1 + c2 * s7) : 0f;
            FloatVector b0 = FloatVector.broadcast(SPECIES, a0);
            FloatVector b1 = FloatVector.broadcast(SPECIES, a1);
            FloatVector b2 = FloatVector.broadcast(SPECIES, a2);
            FloatVector b3 = FloatVector.broadcast(SPECIES, a3);
            FloatVector b4 = FloatVector.broadcast(SPECIES, a4);
            FloatVector b5 = FloatVector.broadcast(SPECIES, a5);
            FloatVector b6 = FloatVector.broadcast(SPECIES, a6);
            FloatVector b7 = FloatVector.broadcast(SPECIES, a7);
            for (int c = 0; c < full; c += lanes) {
                FloatVector xc = FloatVector.fromArray(SPECIES, x, xOffset + c);
                xc.fma(b0, FloatVector.fromArray(SPECIES, out, t0 + c)).intoArray(out, t0 + c);
                xc.fma(b1, FloatVector.fromArray(SPECIES, out, t1 + c)).intoArray(out, t1 + c);
                xc.fma(b2, FloatVector.fromArray(SPECIES, out, t2 + c)).intoArray(out, t2 + c);
                xc.fma(b3, FloatVector.fromArray(SPECIES, out, t3 + c)).intoArray(out, t3 + c);
                xc.fma(b4, FloatVector.fromArray(SPECIES, out, t4 + c)).intoArray(out, t4 + c);
                xc.fma(b5, FloatVector.fromArray(SPECIES, out, t5 + c)).intoArray(out, t5 + c);
                xc.fma(b6, FloatVector.fromArray(SPECIES, out, t6 + c)).intoArray(out, t6 + c);
                xc.fma(b7, FloatVector.fromArray(SPECIES, out, t7 + c)).intoArray(out, t7 + c);
            }
            for (int c = full; c < k; c++) {
                float xv = x[xOffset + c];
                out[t0 + c] = Math.fma(a0, xv, out[t0 + c]);
                out[t1 + c] = Math.fma(a1, xv, out[t1 + c]);
                out[t2 + c] = Math.fma(a2, xv, out[t2 + c]);
                out[t3 + c] = Math.fma(a3, xv, out[t3 + c]);
                out[t4 + c] = Math.fma(a4, xv, out[t4 + c]);
                out[t5 + c] = Math.fma(a5, xv, out[t5 + c]);
                out[t6 + c] = Math.fma(a6, xv, out[t6 + c]);
                out[t7 + c] = Math.fma(a7, xv, out[t7 + c]);
            }
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

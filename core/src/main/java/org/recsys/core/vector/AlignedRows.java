package org.recsys.core.vector;

/**
 * Flat row-major matrices whose rows start on 64-byte boundaries (a cache line, an AVX-512 register) when the row
 * length is a multiple of 16 floats. A SIMD load that straddles two cache lines costs two, and a row that straddles
 * one line more than it needs to costs one more line from memory: WALS passes over unaligned factor rows ran about a
 * quarter slower (docs/benchmarks.md). Java offers no aligned arrays, so this relies on how HotSpot lays out large
 * arrays under G1, the collector Elasticsearch runs: an array of 16 MiB or more is humongous under every G1 region
 * size, so it starts on a region boundary and is never moved, and its elements start 16 bytes in (the array header
 * with compressed class pointers, the default). Where that does not hold, rows are unaligned, never wrong.
 */
public final class AlignedRows {

    /** Index of the first element of row 0 in an array from {@link #allocate}: 16 header bytes + 48 = 64. */
    public static final int BASE = 12;

    /** Matrices this large (1 MiB) no longer stay in a core's cache, so alignment starts to pay for the padding. */
    private static final int PAD_FROM_FLOATS = (1 << 20) / Float.BYTES;

    /** Humongous under any G1 region size (at most 32 MiB, humongous from half a region). */
    private static final int HUMONGOUS_FLOATS = (16 << 20) / Float.BYTES;

    private AlignedRows() {}

    /** Room for {@code rows} rows of {@code k} floats, row r at {@code BASE + r * k}. */
    public static float[] allocate(int rows, int k) {
        long floats = BASE + (long) rows * k;
        if (floats > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("[" + rows + "] rows of [" + k + "] floats do not fit in one array");
        }
        return new float[(int) (floats >= PAD_FROM_FLOATS ? Math.max(floats, HUMONGOUS_FLOATS) : floats)];
    }
}

package org.recsys.core.fusion;

import org.recsys.core.data.Csr;

/**
 * Every user's content profile, built in one pass over the items: each item's text vector is added to the sums of
 * the users who have it, so the items' vectors are never held together and memory is users × dims floats
 * ({@link #bytes}). The profile of a user is {@link FusionFeatures#contentProfile} of their items' vectors, to the
 * rounding of the sums.
 */
public final class ContentProfiles {

    private final Csr byItem;
    private final int dims;
    private final float[] sums;

    /** @param byItem the interactions by item (each row lists the item's users) */
    public ContentProfiles(Csr byItem, int dims) {
        if (dims < 1) {
            throw new IllegalArgumentException("content profiles need at least one dimension, got " + dims);
        }
        this.byItem = byItem;
        this.dims = dims;
        this.sums = new float[Math.toIntExact(bytes(byItem.columnCount(), dims) / Float.BYTES)];
    }

    /** The memory the sums of {@code users} profiles of {@code dims} take. */
    public static long bytes(int users, int dims) {
        return (long) Float.BYTES * users * dims;
    }

    /** Adds the text vector of {@code item} (a row of {@code byItem}) to the sums of its users. */
    public void add(int item, float[] text) {
        if (text.length != dims) {
            throw new IllegalArgumentException("text vector of item [" + item + "] has " + text.length + " dims; expected " + dims);
        }
        int[] columns = byItem.columns();
        for (int p = byItem.start(item), end = byItem.end(item); p < end; p++) {
            int off = columns[p] * dims;
            for (int d = 0; d < dims; d++) {
                sums[off + d] += text[d];
            }
        }
    }

    /** The profile of {@code user} at unit length, or null when none of their items had a vector. */
    public float[] profile(int user) {
        float[] mean = new float[dims];
        System.arraycopy(sums, user * dims, mean, 0, dims);
        return FusionFeatures.unit(mean);
    }

    public int dims() {
        return dims;
    }
}

package org.recsys.core.data;

import it.unimi.dsi.fastutil.floats.FloatArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.Arrays;

/**
 * Interactions as they come, with a time each, for carving out each user's latest ones: {@link #build} gives the
 * {@link InteractionMatrix} of them (ids in their natural order, repeated pairs summed, as
 * {@code new InteractionMatrix.Builder()} builds it) and the latest time of each of its entries. While collecting,
 * 20 bytes per interaction besides the ids.
 */
public final class TimedInteractions {

    /** The matrix and, aligned with {@code matrix.byUser()}'s entries, the latest time of each. */
    public record Built(InteractionMatrix matrix, long[] times) {}

    private final IdIndex users = new IdIndex();
    private final IdIndex items = new IdIndex();
    private final IntArrayList userOf = new IntArrayList();
    private final IntArrayList itemOf = new IntArrayList();
    private final FloatArrayList weightOf = new FloatArrayList();
    private final LongArrayList timeOf = new LongArrayList();

    public TimedInteractions add(String user, String item, float weight, long time) {
        if (Float.isFinite(weight) == false || weight < 0) {
            throw new IllegalArgumentException(
                "interaction (" + user + ", " + item + ") has weight [" + weight + "]; weights must be finite and >= 0"
            );
        }
        userOf.add(users.add(user));
        itemOf.add(items.add(item));
        weightOf.add(weight);
        timeOf.add(time);
        return this;
    }

    public int size() {
        return userOf.size();
    }

    public Built build() {
        InteractionMatrix.Builder builder = new InteractionMatrix.Builder();
        for (int r = 0; r < userOf.size(); r++) {
            builder.add(users.id(userOf.getInt(r)), items.id(itemOf.getInt(r)), weightOf.getFloat(r));
        }
        InteractionMatrix matrix = builder.build();
        int[] userIndex = remap(users, matrix.users());
        int[] itemIndex = remap(items, matrix.items());
        Csr byUser = matrix.byUser();
        long[] times = new long[matrix.nnz()];
        Arrays.fill(times, Long.MIN_VALUE);
        for (int r = 0; r < userOf.size(); r++) {
            int u = userIndex[userOf.getInt(r)];
            int e = Arrays.binarySearch(byUser.columns(), byUser.start(u), byUser.end(u), itemIndex[itemOf.getInt(r)]);
            times[e] = Math.max(times[e], timeOf.getLong(r));
        }
        return new Built(matrix, times);
    }

    private static int[] remap(IdIndex from, IdIndex to) {
        int[] out = new int[from.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = to.indexOf(from.id(i));
        }
        return out;
    }
}

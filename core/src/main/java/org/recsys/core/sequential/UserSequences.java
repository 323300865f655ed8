package org.recsys.core.sequential;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.recsys.core.data.IdIndex;

import java.util.ArrayList;
import java.util.List;

/** Each user's items in the order they were added (oldest first), with users and items mapped to dense indices. */
public final class UserSequences {

    private final IdIndex users = new IdIndex();
    private final IdIndex items = new IdIndex();
    private final List<IntArrayList> sequences = new ArrayList<>();

    public void add(String user, String item) {
        int u = users.add(user);
        if (u == sequences.size()) {
            sequences.add(new IntArrayList());
        }
        sequences.get(u).add(items.add(item));
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    /** User u's item indices, oldest first. */
    public int[] sequence(int u) {
        return sequences.get(u).toIntArray();
    }

    public int[][] sequences() {
        int[][] out = new int[sequences.size()][];
        for (int u = 0; u < out.length; u++) {
            out[u] = sequence(u);
        }
        return out;
    }
}

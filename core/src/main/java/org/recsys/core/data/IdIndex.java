package org.recsys.core.data;

import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.ArrayList;
import java.util.List;

/** Maps external string ids to dense indices 0..size-1, in order of first appearance. */
public final class IdIndex {

    private final Object2IntOpenHashMap<String> indexOf = new Object2IntOpenHashMap<>();
    private final List<String> ids = new ArrayList<>();

    public IdIndex() {
        indexOf.defaultReturnValue(-1);
    }

    /** The index of {@code id}, adding it if it is new. */
    public int add(String id) {
        int index = indexOf.getInt(id);
        if (index < 0) {
            index = ids.size();
            indexOf.put(id, index);
            ids.add(id);
        }
        return index;
    }

    /** The index of {@code id}, or -1 if it is unknown. */
    public int indexOf(String id) {
        return indexOf.getInt(id);
    }

    public String id(int index) {
        return ids.get(index);
    }

    public int size() {
        return ids.size();
    }

    public List<String> ids() {
        return List.copyOf(ids);
    }

    /**
     * The same ids indexed in their natural (string) order; {@code remap[old index]} receives each id's new index.
     */
    IdIndex sorted(int[] remap) {
        int[] order = new int[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        IntArrays.quickSort(order, (a, b) -> ids.get(a).compareTo(ids.get(b)));
        IdIndex out = new IdIndex();
        for (int i = 0; i < order.length; i++) {
            remap[order[i]] = out.add(ids.get(order[i]));
        }
        return out;
    }
}

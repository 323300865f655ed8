package org.recsys.plugin.training;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.apache.lucene.util.BytesRef;
import org.recsys.core.data.IdIndex;
import org.recsys.core.sequential.NextItemValidation;
import org.recsys.core.sequential.UserSequences;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Interactions, read in any order, as what core's sequential trainer takes: each user's items ordered by
 * (timestamp, item), users in order of id, and each user's last item held out as the validation step's target (the
 * rest is the training sequence and the target's history), as protocol P3 splits its files. Ids compare as their
 * field sorts them (numbers as numbers, keywords by their UTF-8 bytes), so the order, and with it the trained model, depends on
 * the data alone and never on how the index stores it. A user with one interaction trains on it and is not validated.
 */
final class OrderedSequences {

    /** The training sequences (item indices, oldest first) and the validation step. */
    record Split(UserSequences training, NextItemValidation validation, int users, long interactions) {}

    private final IdIndex users = new IdIndex();
    private final IdIndex items = new IdIndex();
    private final IntArrayList user = new IntArrayList();
    private final IntArrayList item = new IntArrayList();
    private final LongArrayList time = new LongArrayList();

    void add(String userId, String itemId, long timestamp) {
        user.add(users.add(userId));
        item.add(items.add(itemId));
        time.add(timestamp);
    }

    long size() {
        return user.size();
    }

    /**
     * @param numericUsers whether user ids are numbers (an integer field), which then order numerically
     * @param numericItems the same for item ids
     */
    Split split(boolean numericUsers, boolean numericItems) {
        int[] userOrder = order(users, numericUsers);
        int[] itemRank = new int[items.size()];
        int[] byRank = order(items, numericItems);
        for (int r = 0; r < byRank.length; r++) {
            itemRank[byRank[r]] = r;
        }
        // Interactions grouped by user (a counting sort), then each user's sorted by (timestamp, item).
        int n = user.size();
        int[] start = new int[users.size() + 1];
        for (int i = 0; i < n; i++) {
            start[user.getInt(i) + 1]++;
        }
        for (int u = 0; u < users.size(); u++) {
            start[u + 1] += start[u];
        }
        int[] grouped = new int[n];
        int[] fill = Arrays.copyOf(start, users.size());
        for (int i = 0; i < n; i++) {
            grouped[fill[user.getInt(i)]++] = i;
        }
        long[] times = time.elements();
        int[] itemOf = item.elements();
        UserSequences training = new UserSequences();
        int[] validationUsers = new int[users.size()];
        int[] lastItems = new int[users.size()];
        int validated = 0;
        for (int u : userOrder) {
            int from = start[u];
            int to = start[u + 1];
            IntArrays.quickSort(grouped, from, to, (a, b) -> {
                int c = Long.compare(times[a], times[b]);
                return c != 0 ? c : Integer.compare(itemRank[itemOf[a]], itemRank[itemOf[b]]);
            });
            int trained = to - from > 1 ? to - from - 1 : 1;
            for (int i = from; i < from + trained; i++) {
                training.add(users.id(u), items.id(itemOf[grouped[i]]));
            }
            if (to - from > 1) {
                validationUsers[validated] = u;
                lastItems[validated++] = itemOf[grouped[to - 1]];
            }
        }
        // Targets are looked up once every training item is known: an item seen only as a last one is unknown (-1).
        int[][] histories = new int[validated][];
        int[] targets = new int[validated];
        for (int v = 0; v < validated; v++) {
            histories[v] = training.sequence(training.users().indexOf(users.id(validationUsers[v])));
            targets[v] = training.items().indexOf(items.id(lastItems[v]));
        }
        return new Split(training, new NextItemValidation(histories, targets), users.size(), n);
    }

    /** Dense indices of {@code ids} in the order of their values. */
    private static int[] order(IdIndex ids, boolean numeric) {
        Integer[] order = new Integer[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (numeric) {
            long[] values = new long[ids.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Long.parseLong(ids.id(i));
            }
            Arrays.sort(order, Comparator.comparingLong(i -> values[i]));
        } else {
            // UTF-8 byte order: how a keyword field sorts, so a user's history read back sorted by the index agrees.
            BytesRef[] values = new BytesRef[ids.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = new BytesRef(ids.id(i));
            }
            Arrays.sort(order, Comparator.comparing(i -> values[i]));
        }
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}

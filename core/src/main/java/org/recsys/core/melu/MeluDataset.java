package org.recsys.core.melu;

import it.unimi.dsi.fastutil.ints.IntArrays;
import org.recsys.core.data.IdIndex;
import org.recsys.core.util.Workers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What MeLU trains on: raw user and item features by id, and ratings with their timestamps, in a
 * {@link FeatureSchema}. Users and items are taken in the {@link #ID_ORDER} of their ids, never in the order they
 * were added, so a model depends on the data and the seed only, not on how the data was stored or read (a file, or
 * the shards of an index).
 *
 * <p>A training task mirrors a new user at some point of a training user's history, ordered by (timestamp, item):
 * {@value #QUERY_RATINGS} consecutive ratings are the query, up to {@link MeluParams#maxSupport()} ratings before them
 * the support. A history is cut into such queries from the newest back, as long as {@value #MIN_SUPPORT} support
 * ratings remain, so every rating after the first few is a query target once per epoch. Ratings of items outside
 * the catalogue are left out of the tasks.
 */
public final class MeluDataset {

    public static final int QUERY_RATINGS = 10;
    /** The fewest support ratings a task has (P4's new users have at least 3). */
    public static final int MIN_SUPPORT = 3;

    /**
     * Ids that are non-negative integers (without leading zeros) first, by value; then every other id by its
     * characters. For MovieLens's numeric ids this is the files' own order.
     */
    public static final Comparator<String> ID_ORDER = (a, b) -> {
        boolean na = isNumber(a);
        boolean nb = isNumber(b);
        if (na != nb) {
            return na ? -1 : 1;
        }
        if (na && a.length() != b.length()) {
            return Integer.compare(a.length(), b.length());
        }
        return a.compareTo(b);
    };

    private static boolean isNumber(String id) {
        if (id.isEmpty() || (id.charAt(0) == '0' && id.length() > 1)) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Collects features and ratings in any order. */
    public static final class Builder {
        private final FeatureSchema schema;
        private final Map<String, Map<String, List<String>>> users = new HashMap<>();
        private final Map<String, Map<String, List<String>>> items = new HashMap<>();
        private final IdIndex ratingUsers = new IdIndex();
        private final IdIndex ratingItems = new IdIndex();
        private int[] user = new int[1024];
        private int[] item = new int[1024];
        private float[] rating = new float[1024];
        private long[] time = new long[1024];
        private int n;

        public Builder(FeatureSchema schema) {
            this.schema = schema;
        }

        /** A user's raw features (feature name to values); a user given twice is an error. */
        public Builder user(String id, Map<String, List<String>> raw) {
            if (users.putIfAbsent(id, raw) != null) {
                throw new IllegalArgumentException("user [" + id + "] has features twice");
            }
            return this;
        }

        /** An item of the catalogue with its raw features; an item given twice is an error. */
        public Builder item(String id, Map<String, List<String>> raw) {
            if (items.putIfAbsent(id, raw) != null) {
                throw new IllegalArgumentException("item [" + id + "] has features twice");
            }
            return this;
        }

        public Builder rating(String userId, String itemId, float value, long timestamp) {
            if (n == user.length) {
                int size = 2 * n;
                user = Arrays.copyOf(user, size);
                item = Arrays.copyOf(item, size);
                rating = Arrays.copyOf(rating, size);
                time = Arrays.copyOf(time, size);
            }
            user[n] = ratingUsers.add(userId);
            item[n] = ratingItems.add(itemId);
            rating[n] = value;
            time[n] = timestamp;
            n++;
            return this;
        }

        public MeluDataset build() {
            return new MeluDataset(this);
        }
    }

    private final FeatureVocabulary vocabulary;
    private final ItemCatalog catalog;
    private final EncodedFeatures[] userFeatures;
    /** Rating rows of each rating user, users in {@link #ID_ORDER}, each user's rows by (timestamp, item). */
    private final int[] rows;
    private final int[] userStarts;
    private final int[] catalogItem;
    private final float[] ratings;
    private final int usersWithoutFeatures;
    private final long ratingsOfUnknownItems;

    private MeluDataset(Builder b) {
        List<String> userIds = sorted(b.users.keySet());
        List<String> itemIds = sorted(b.items.keySet());
        FeatureVocabulary.Builder values = new FeatureVocabulary.Builder(b.schema);
        userIds.forEach(id -> values.add(FeatureField.Side.USER, b.users.get(id)));
        itemIds.forEach(id -> values.add(FeatureField.Side.ITEM, b.items.get(id)));
        vocabulary = values.build();
        catalog = new ItemCatalog(itemIds, itemIds.stream().map(id -> vocabulary.encode(FeatureField.Side.ITEM, b.items.get(id))).toList());

        List<String> ratingUserIds = sorted(b.ratingUsers.ids());
        userFeatures = new EncodedFeatures[ratingUserIds.size()];
        int[] position = new int[ratingUserIds.size()];
        int without = 0;
        for (int u = 0; u < ratingUserIds.size(); u++) {
            Map<String, List<String>> raw = b.users.get(ratingUserIds.get(u));
            without += raw == null ? 1 : 0;
            userFeatures[u] = vocabulary.encode(FeatureField.Side.USER, raw == null ? Map.of() : raw);
            position[b.ratingUsers.indexOf(ratingUserIds.get(u))] = u;
        }
        usersWithoutFeatures = without;

        userStarts = new int[ratingUserIds.size() + 1];
        for (int r = 0; r < b.n; r++) {
            userStarts[position[b.user[r]] + 1]++;
        }
        for (int u = 0; u < ratingUserIds.size(); u++) {
            userStarts[u + 1] += userStarts[u];
        }
        rows = new int[b.n];
        int[] next = Arrays.copyOf(userStarts, ratingUserIds.size());
        for (int r = 0; r < b.n; r++) {
            rows[next[position[b.user[r]]]++] = r;
        }
        for (int u = 0; u < ratingUserIds.size(); u++) {
            // Stable: rows equal in (timestamp, item) keep the order they were added in.
            IntArrays.mergeSort(rows, userStarts[u], userStarts[u + 1], (x, y) -> {
                int c = Long.compare(b.time[x], b.time[y]);
                return c != 0 ? c : b.ratingItems.id(b.item[x]).compareTo(b.ratingItems.id(b.item[y]));
            });
        }
        catalogItem = new int[b.n];
        long unknown = 0;
        for (int r = 0; r < b.n; r++) {
            catalogItem[r] = catalog.indexOf(b.ratingItems.id(b.item[r]));
            unknown += catalogItem[r] < 0 ? 1 : 0;
        }
        ratingsOfUnknownItems = unknown;
        ratings = Arrays.copyOf(b.rating, b.n);
    }

    private static List<String> sorted(java.util.Collection<String> ids) {
        List<String> out = new ArrayList<>(ids);
        out.sort(ID_ORDER);
        return out;
    }

    public FeatureVocabulary vocabulary() {
        return vocabulary;
    }

    public ItemCatalog catalog() {
        return catalog;
    }

    /** Users with at least one rating. */
    public int ratingUsers() {
        return userFeatures.length;
    }

    /** Users with ratings but no features (their user features are zeros). */
    public int usersWithoutFeatures() {
        return usersWithoutFeatures;
    }

    public int ratings() {
        return ratings.length;
    }

    /** Ratings of items that are not in the catalogue: never a support or query rating. */
    public long ratingsOfUnknownItems() {
        return ratingsOfUnknownItems;
    }

    /** The training tasks, users in {@link #ID_ORDER}, each user's from the newest query back. */
    public List<MetaTask> tasks(int maxSupport) {
        List<MetaTask> tasks = new ArrayList<>();
        for (int u = 0; u < userFeatures.length; u++) {
            int start = userStarts[u];
            int size = userStarts[u + 1] - start;
            for (int queryFrom = size - QUERY_RATINGS; queryFrom >= MIN_SUPPORT; queryFrom -= QUERY_RATINGS) {
                int supportFrom = Math.max(0, queryFrom - maxSupport);
                int[] support = known(start + supportFrom, start + queryFrom);
                int[] query = known(start + queryFrom, start + queryFrom + QUERY_RATINGS);
                tasks.add(new MetaTask(userFeatures[u], items(support), ratings(support), items(query), ratings(query)));
            }
        }
        return tasks;
    }

    /** The rows in {@code rows[from, to)} whose item is in the catalogue. */
    private int[] known(int from, int to) {
        int[] out = new int[to - from];
        int k = 0;
        for (int i = from; i < to; i++) {
            if (catalogItem[rows[i]] >= 0) {
                out[k++] = rows[i];
            }
        }
        return Arrays.copyOf(out, k);
    }

    private int[] items(int[] selected) {
        int[] out = new int[selected.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = catalogItem[selected[i]];
        }
        return out;
    }

    private float[] ratings(int[] selected) {
        float[] out = new float[selected.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ratings[selected[i]];
        }
        return out;
    }

    /** Meta-trains a model on this data ({@link MeluTrainer}) on {@code workers}, cancelled by them before every batch. */
    public MeluModel train(MeluParams params, MeluTrainer.Listener listener, Workers workers) {
        return new MeluTrainer(params).listener(listener).runOn(workers).train(vocabulary, catalog, tasks(params.maxSupport()));
    }
}

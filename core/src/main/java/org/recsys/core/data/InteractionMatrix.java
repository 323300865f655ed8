package org.recsys.core.data;

import it.unimi.dsi.fastutil.floats.FloatArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * User-item interactions as a sparse matrix held twice, by user ({@link #byUser()}) and by item ({@link #byItem()}),
 * with the external ids of both sides. Repeated (user, item) pairs are summed. Values are the raw interaction
 * weights (a count, a rating, a dwell time); algorithms turn them into confidences.
 * <p>
 * Memory: 16 bytes per distinct interaction (column and value in each of the two forms) plus 4 bytes per user and
 * per item, besides the id maps. While building, 12 bytes per added interaction (more while the lists grow).
 */
public final class InteractionMatrix {

    private final IdIndex users;
    private final IdIndex items;
    private final Csr byUser;
    private final Csr byItem;

    private InteractionMatrix(IdIndex users, IdIndex items, Csr byUser) {
        this.users = users;
        this.items = items;
        this.byUser = byUser;
        this.byItem = byUser.transpose();
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    public Csr byUser() {
        return byUser;
    }

    public Csr byItem() {
        return byItem;
    }

    public int nnz() {
        return byUser.nnz();
    }

    /** Bytes held by both sparse forms (not the id maps). */
    public long bytes() {
        return byUser.bytes() + byItem.bytes();
    }

    /**
     * Collects (user, item, weight) triples. Builders of matrices that must share ids pass the same {@link IdIndex}
     * and keep its order; a builder with ids of its own indexes users and items in the order of their ids, so that
     * the matrix, and a model seeded by row, do not depend on the order in which the interactions came (a file, or an
     * index scanned in whatever order its segments hold them).
     */
    public static final class Builder {
        private final IdIndex users;
        private final IdIndex items;
        private final IntArrayList userOf = new IntArrayList();
        private final IntArrayList itemOf = new IntArrayList();
        private final FloatArrayList weightOf = new FloatArrayList();

        private final boolean ownIds;
        private boolean built;

        public Builder() {
            this(new IdIndex(), new IdIndex(), true);
        }

        public Builder(IdIndex users, IdIndex items) {
            this(users, items, false);
        }

        private Builder(IdIndex users, IdIndex items, boolean ownIds) {
            this.users = users;
            this.items = items;
            this.ownIds = ownIds;
        }

        public Builder add(String user, String item, float weight) {
            if (Float.isFinite(weight) == false || weight < 0) {
                throw new IllegalArgumentException(
                    "interaction (" + user + ", " + item + ") has weight [" + weight + "]; weights must be finite and >= 0"
                );
            }
            userOf.add(users.add(user));
            itemOf.add(items.add(item));
            weightOf.add(weight);
            return this;
        }

        public int size() {
            return userOf.size();
        }

        /** Builds the matrix; a builder with ids of its own builds once (it re-indexes what it collected in place). */
        public InteractionMatrix build() {
            if (built && ownIds) {
                throw new IllegalStateException("this builder has built its matrix already");
            }
            built = true;
            int nUsers = users.size();
            int nItems = items.size();
            int n = userOf.size();
            int[] u = userOf.elements();
            int[] it = itemOf.elements();
            float[] w = weightOf.elements();
            IdIndex userIds = users;
            IdIndex itemIds = items;
            if (ownIds) {
                int[] userRemap = new int[nUsers];
                int[] itemRemap = new int[nItems];
                userIds = users.sorted(userRemap);
                itemIds = items.sorted(itemRemap);
                for (int i = 0; i < n; i++) {
                    u[i] = userRemap[u[i]];
                    it[i] = itemRemap[it[i]];
                }
            }
            // Bucket by item, then stably by user: each user's row comes out in ascending item order.
            Csr byItemRaw = bucket(nItems, nUsers, n, it, u, w);
            Csr byUserSorted = byItemRaw.transpose();
            return new InteractionMatrix(userIds, itemIds, sumDuplicates(byUserSorted));
        }

        private static Csr bucket(int rows, int cols, int n, int[] row, int[] col, float[] value) {
            int[] start = new int[rows + 1];
            for (int i = 0; i < n; i++) {
                start[row[i] + 1]++;
            }
            for (int r = 0; r < rows; r++) {
                start[r + 1] += start[r];
            }
            int[] next = start.clone();
            int[] columns = new int[n];
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                int at = next[row[i]]++;
                columns[at] = col[i];
                values[at] = value[i];
            }
            return new Csr(rows, cols, start, columns, values);
        }

        private static Csr sumDuplicates(Csr m) {
            int[] columns = m.columns();
            float[] values = m.values();
            int[] start = new int[m.rows() + 1];
            int out = 0;
            for (int r = 0; r < m.rows(); r++) {
                int rowOut = out;
                for (int i = m.start(r); i < m.end(r); i++) {
                    if (out > rowOut && columns[out - 1] == columns[i]) {
                        values[out - 1] += values[i];
                    } else {
                        columns[out] = columns[i];
                        values[out] = values[i];
                        out++;
                    }
                }
                start[r + 1] = out;
            }
            if (out == columns.length) {
                return new Csr(m.rows(), m.columnCount(), start, columns, values);
            }
            return new Csr(m.rows(), m.columnCount(), start, java.util.Arrays.copyOf(columns, out), java.util.Arrays.copyOf(values, out));
        }
    }
}

package org.recsys.core.tuning;

import it.unimi.dsi.fastutil.ints.IntArrays;
import org.recsys.core.data.Csr;
import org.recsys.core.data.InteractionMatrix;

import java.util.Random;

/**
 * A validation carve-out of the interactions a model is trained on: {@code round(share · n)} of each user's n distinct
 * items (none of a user with one) are held out, the latest ones when the entries have times, else a seeded random
 * choice (as P1 split its test rows); the rest is what trials fit. Both parts keep the full matrix's ids, so the
 * carve-out depends on the interactions only, never on the order they were read in.
 *
 * @param fit     what trials train on
 * @param heldOut per user of {@code fit}, the held-out items (weight 1)
 */
public record ValidationSplit(InteractionMatrix fit, Csr heldOut) {

    public static final double MAX_SHARE = 0.5;

    /**
     * @param times per entry of {@code full.byUser()}, its time (latest first held out), or null for a random choice
     * @param share in (0, 1); a search checks that its own is at most {@link #MAX_SHARE} ({@link #checkShare})
     */
    public static ValidationSplit carve(InteractionMatrix full, long[] times, double share, long seed) {
        if ((share > 0 && share < 1) == false) {
            throw new IllegalArgumentException("a held-out share must be in (0, 1), got [" + share + "]");
        }
        InteractionMatrix.Builder fit = new InteractionMatrix.Builder(full.users(), full.items());
        InteractionMatrix.Builder heldOut = new InteractionMatrix.Builder(full.users(), full.items());
        Csr byUser = full.byUser();
        boolean[] held = heldEntries(byUser, times, share, new Random(seed));
        for (int u = 0; u < byUser.rows(); u++) {
            String user = full.users().id(u);
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                String item = full.items().id(byUser.columns()[e]);
                if (held[e]) {
                    heldOut.add(user, item, 1f);
                } else {
                    fit.add(user, item, byUser.values()[e]);
                }
            }
        }
        return new ValidationSplit(fit.build(), heldOut.build().byUser());
    }

    /**
     * Which entries of {@code byUser} a carve-out holds out: {@code round(share · n)} of each user's n (none of a user
     * with one), the latest when {@code times} is given, else drawn from {@code random}, user by user.
     */
    public static boolean[] heldEntries(Csr byUser, long[] times, double share, Random random) {
        boolean[] held = new boolean[byUser.columns().length];
        int[] order = new int[0];
        for (int u = 0; u < byUser.rows(); u++) {
            int n = byUser.rowLength(u);
            if (order.length < n) {
                order = new int[n];
            }
            for (int p = 0; p < n; p++) {
                order[p] = byUser.start(u) + p;
            }
            if (times == null) {
                for (int p = n - 1; p > 0; p--) {
                    int q = random.nextInt(p + 1);
                    int t = order[p];
                    order[p] = order[q];
                    order[q] = t;
                }
            } else {
                sortLatestFirst(order, n, times);
            }
            int hold = n < 2 ? 0 : (int) Math.round(share * n);
            for (int p = 0; p < hold; p++) {
                held[order[p]] = true;
            }
        }
        return held;
    }

    static void checkShare(double share, String path) {
        if ((share > 0 && share <= MAX_SHARE) == false) {
            throw new IllegalArgumentException(
                "[" + SearchSpace.name(path, "validation_share") + "] is [" + share + "]; it must be in (0, " + MAX_SHARE + "]"
            );
        }
    }

    /** A user's entries by time, latest first; a stable sort, so equal times keep item order (entries come sorted by item). */
    private static void sortLatestFirst(int[] order, int n, long[] times) {
        IntArrays.mergeSort(order, 0, n, (a, b) -> Long.compare(times[b], times[a]));
    }
}

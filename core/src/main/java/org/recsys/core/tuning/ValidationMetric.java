package org.recsys.core.tuning;

import org.recsys.core.data.Csr;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.topk.TopK;
import org.recsys.core.wals.WalsModel;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;

/**
 * What a search maximises: one of {@link TopNMetrics#METRICS} at a cut-off k ({@code ndcg@10}), over the users of a
 * {@link ValidationSplit} with held-out items, each ranking every item minus those they were fitted on. At most
 * {@link #MAX_USERS} users are scored (a seeded choice), which bounds a trial's scoring on large data.
 */
public record ValidationMetric(String name, int k) {

    public static final int MAX_K = 100;
    public static final int MAX_USERS = 5_000;
    public static final ValidationMetric DEFAULT = new ValidationMetric("ndcg", 10);

    public static ValidationMetric parse(String text, String path) {
        int at = text.indexOf('@');
        String name = at < 0 ? text : text.substring(0, at);
        int k = -1;
        try {
            k = at < 0 ? -1 : Integer.parseInt(text.substring(at + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (TopNMetrics.METRICS.contains(name) == false || k < 1 || k > MAX_K) {
            throw new IllegalArgumentException(
                "["
                    + SearchSpace.name(path, "metric")
                    + "] is ["
                    + text
                    + "]; expected one of "
                    + TopNMetrics.METRICS
                    + " and @k with k in 1.."
                    + MAX_K
                    + ", e.g. ndcg@10"
            );
        }
        return new ValidationMetric(name, k);
    }

    @Override
    public String toString() {
        return name + "@" + k;
    }

    /** The users that {@link #perUser} scores: those with held-out items, at most {@link #MAX_USERS} of them. */
    public static int[] users(ValidationSplit split, long seed) {
        Csr heldOut = split.heldOut();
        int[] users = new int[heldOut.rows()];
        int n = 0;
        for (int u = 0; u < heldOut.rows(); u++) {
            if (heldOut.rowLength(u) > 0) {
                users[n++] = u;
            }
        }
        if (n > MAX_USERS) {
            Random random = new Random(seed);
            for (int i = 0; i < MAX_USERS; i++) {
                int j = i + random.nextInt(n - i);
                int t = users[i];
                users[i] = users[j];
                users[j] = t;
            }
            n = MAX_USERS;
            Arrays.sort(users, 0, n);
        }
        return Arrays.copyOf(users, n);
    }

    /** The metric of each of {@code users}, for a model trained on {@code split.fit()}. */
    public double[] perUser(WalsModel model, ValidationSplit split, int[] users) {
        Csr fit = split.fit().byUser();
        Csr heldOut = split.heldOut();
        int index = TopNMetrics.METRICS.indexOf(name);
        int nItems = model.items().size();
        BitSet excluded = new BitSet(nItems);
        boolean[] hit = new boolean[k];
        double[] sums = new double[TopNMetrics.METRICS.size()];
        double[] out = new double[users.length];
        for (int n = 0; n < users.length; n++) {
            int u = users[n];
            excluded.clear();
            for (int e = fit.start(u); e < fit.end(u); e++) {
                excluded.set(fit.columns()[e]);
            }
            int[] top =
                TopK.dotProduct(model.userFactors(), u * model.rank(), model.itemFactors(), nItems, model.rank(), k, excluded).indices();
            for (int r = 0; r < top.length; r++) {
                hit[r] = Arrays.binarySearch(heldOut.columns(), heldOut.start(u), heldOut.end(u), top[r]) >= 0;
            }
            java.util.Arrays.fill(sums, 0);
            TopNMetrics.addUser(sums, hit, top.length, heldOut.rowLength(u), k);
            out[n] = sums[index];
        }
        return out;
    }

    /** The metric over users: the mean of {@link #perUser}'s scores (0 for none). */
    public static double mean(double[] perUser) {
        double sum = 0;
        for (double v : perUser) {
            sum += v;
        }
        return perUser.length == 0 ? 0 : sum / perUser.length;
    }

    /**
     * How many standard errors {@code a}'s mean is above {@code b}'s, paired by user: the mean of the per-user
     * differences over its standard error (0 when they never differ).
     */
    public static double pairedZ(double[] a, double[] b) {
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i] - b[i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - b[i] - mean;
            var += d * d;
        }
        double se = Math.sqrt(var / (n - 1) / n);
        return se == 0 ? 0 : mean / se;
    }
}

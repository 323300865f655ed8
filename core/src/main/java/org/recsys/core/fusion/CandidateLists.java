package org.recsys.core.fusion;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.util.BitSet;
import java.util.Random;

/**
 * Per-user lists of candidates, each with its feature vector and whether it is relevant (a held-out item of the
 * user): what the fusion is trained and validated on. List l holds rows {@code start(l) .. end(l) - 1}; row r's
 * features are {@code features()[r·COUNT + f]}. {@link #relevantCount} is the user's number of held-out items, in
 * the candidates or not, so {@link #ndcg} is P1's NDCG restricted to reordering the candidates.
 */
public final class CandidateLists {

    private static final int F = FusionFeature.COUNT;

    private final int[] start;
    private final double[] features;
    private final BitSet relevant;
    private final int[] relevantCount;

    private CandidateLists(int[] start, double[] features, BitSet relevant, int[] relevantCount) {
        this.start = start;
        this.features = features;
        this.relevant = relevant;
        this.relevantCount = relevantCount;
    }

    public int lists() {
        return relevantCount.length;
    }

    public int start(int list) {
        return start[list];
    }

    public int end(int list) {
        return start[list + 1];
    }

    public int rows() {
        return start[lists()];
    }

    /** Shared, not copied. */
    public double[] features() {
        return features;
    }

    public boolean relevant(int row) {
        return relevant.get(row);
    }

    public int relevantCount(int list) {
        return relevantCount[list];
    }

    /**
     * Mean NDCG@k (binary gain) over the lists with at least one relevant item when each is ordered by the fusion's
     * raw value (a list of a user with nothing held out in this part, see {@code CandidateFeatures.lists} with several relevance sets,
     * has no ideal to reach, as a user without test items is not scored).
     */
    public double ndcg(Fusion fusion, int k) {
        double sum = 0;
        int scored = 0;
        double[] perList = ndcgPerList(fusion, k);
        for (int l = 0; l < perList.length; l++) {
            if (relevantCount[l] > 0) {
                sum += perList[l];
                scored++;
            }
        }
        return scored == 0 ? 0 : sum / scored;
    }

    /** Each list's NDCG@k when it is ordered by {@code fusion}. */
    public double[] ndcgPerList(Fusion fusion, int k) {
        double[] out = new double[lists()];
        for (int l = 0; l < lists(); l++) {
            int[] top = FusedOrder.top(fusion, features, start(l), end(l) - start(l), k);
            double dcg = 0;
            for (int r = 0; r < top.length; r++) {
                if (relevant.get(start(l) + top[r])) {
                    dcg += 1 / log2(r + 2);
                }
            }
            double ideal = 0;
            for (int r = 0; r < Math.min(k, relevantCount[l]); r++) {
                ideal += 1 / log2(r + 2);
            }
            out[l] = ideal == 0 ? 0 : dcg / ideal;
        }
        return out;
    }

    /**
     * How much {@code fusion} gains over {@code base} in NDCG@k, per list with at least one relevant item: the mean of
     * the paired differences and its standard error, so that a gain can be told from the noise of few lists.
     */
    public Gain gain(Fusion fusion, Fusion base, int k) {
        double[] a = ndcgPerList(fusion, k);
        double[] b = ndcgPerList(base, k);
        int n = 0;
        double mean = 0;
        for (int l = 0; l < a.length; l++) {
            if (relevantCount[l] > 0) {
                n++;
                mean += a[l] - b[l];
            }
        }
        if (n == 0) {
            return new Gain(0, 0, 0);
        }
        mean /= n;
        double variance = 0;
        for (int l = 0; l < a.length; l++) {
            if (relevantCount[l] > 0) {
                double d = a[l] - b[l] - mean;
                variance += d * d / Math.max(1, n - 1);
            }
        }
        return new Gain(mean, Math.sqrt(variance / n), n);
    }

    /** A mean paired NDCG difference, its standard error, and over how many lists (those with a relevant item). */
    public record Gain(double mean, double standardError, int lists) {

        /** Above zero by more than {@code margin} standard errors. */
        public boolean above(double margin) {
            return mean > margin * standardError;
        }

        /** Not below zero by more than {@code margin} standard errors. */
        public boolean notBelow(double margin) {
            return mean >= -margin * standardError;
        }
    }

    /**
     * The lists split at random into (lists kept, lists held out), about {@code fraction} held out, and at least one
     * on each side when there are two lists or more.
     */
    public CandidateLists[] split(double fraction, long seed) {
        Random random = new Random(seed);
        boolean[] held = new boolean[lists()];
        int heldCount = 0;
        for (int l = 0; l < held.length; l++) {
            held[l] = random.nextDouble() < fraction;
            heldCount += held[l] ? 1 : 0;
        }
        // With two lists or more, neither side is left empty: a few users still train and validate.
        if (held.length >= 2 && heldCount == 0) {
            held[held.length - 1] = true;
        } else if (held.length >= 2 && heldCount == held.length) {
            held[0] = false;
        }
        Builder kept = new Builder();
        Builder heldOut = new Builder();
        double[] row = new double[F];
        for (int l = 0; l < lists(); l++) {
            Builder to = held[l] ? heldOut : kept;
            to.startList(relevantCount[l]);
            for (int r = start(l); r < end(l); r++) {
                System.arraycopy(features, r * F, row, 0, F);
                to.add(row, relevant.get(r));
            }
        }
        return new CandidateLists[]{ kept.build(), heldOut.build() };
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Lists are added one after the other: {@link #startList}, then its rows. */
    public static final class Builder {
        private final IntArrayList start = new IntArrayList();
        private final IntArrayList relevantCount = new IntArrayList();
        private final DoubleArrayList features = new DoubleArrayList();
        private final BitSet relevant = new BitSet();
        private int rows;

        public Builder startList(int relevantItems) {
            start.add(rows);
            relevantCount.add(relevantItems);
            return this;
        }

        public Builder add(double[] rowFeatures, boolean isRelevant) {
            if (start.isEmpty()) {
                throw new IllegalStateException("startList before adding rows");
            }
            features.addElements(features.size(), rowFeatures, 0, F);
            relevant.set(rows, isRelevant);
            rows++;
            return this;
        }

        public CandidateLists build() {
            int[] s = new int[start.size() + 1];
            for (int l = 0; l < start.size(); l++) {
                s[l] = start.getInt(l);
            }
            s[start.size()] = rows;
            return new CandidateLists(s, features.toDoubleArray(), (BitSet) relevant.clone(), relevantCount.toIntArray());
        }
    }
}

package org.recsys.core.eval;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Top-N metrics exactly as {@code shared/tools/evaluate.py topn} computes them: for every user with test items,
 * the recommendations minus the user's training items (and non-candidates) cut at k; precision, recall, NDCG with
 * binary gain, MAP and hit rate, averaged over those users and rounded to 4 decimals.
 */
public final class TopNMetrics {

    private TopNMetrics() {}

    /**
     * @param recommendations each user's items, best first
     * @param candidates      the only items that may count, or null for all
     */
    public static Map<String, Double> evaluate(
        List<Rating> train,
        List<Rating> test,
        Map<String, List<String>> recommendations,
        int k,
        Set<String> candidates
    ) {
        Map<String, Set<String>> seen = itemsByUser(train);
        Map<String, Set<String>> relevant = itemsByUser(test);
        double[] sums = new double[METRICS.size()];
        boolean[] hit = new boolean[k];
        int users = 0, invalid = 0;
        for (Map.Entry<String, Set<String>> e : relevant.entrySet()) {
            users++;
            Set<String> userSeen = seen.getOrDefault(e.getKey(), Set.of());
            Set<String> items = e.getValue();
            List<String> ranked = recommendations.getOrDefault(e.getKey(), List.of());
            boolean bad = false;
            int kept = 0;
            for (String item : ranked) {
                boolean allowed = userSeen.contains(item) == false && (candidates == null || candidates.contains(item));
                bad |= allowed == false;
                if (allowed && kept < k) {
                    hit[kept++] = items.contains(item);
                }
            }
            if (bad) {
                invalid++;
            }
            addUser(sums, hit, kept, items.size(), k);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int m = 0; m < METRICS.size(); m++) {
            out.put(METRICS.get(m) + "@" + k, round(sums[m] / users));
        }
        out.put("users", (double) users);
        out.put("users_with_invalid_recs", (double) invalid);
        return out;
    }

    /** The metrics' names, in the order of {@link #addUser}'s sums. */
    public static final List<String> METRICS = List.of("precision", "recall", "ndcg", "map", "hit_rate");

    /**
     * Adds one user's precision, recall, NDCG (binary gain), average precision and hit to {@code sums} (in the order
     * of {@link #METRICS}), from whether each of the first {@code kept} recommendations is relevant.
     */
    public static void addUser(double[] sums, boolean[] hit, int kept, int relevant, int k) {
        int hits = 0;
        double dcg = 0, ap = 0;
        for (int r = 0; r < kept; r++) {
            if (hit[r]) {
                hits++;
                dcg += 1 / log2(r + 2);
                ap += (double) hits / (r + 1);
            }
        }
        double idcg = 0;
        for (int r = 0; r < Math.min(relevant, k); r++) {
            idcg += 1 / log2(r + 2);
        }
        sums[0] += (double) hits / k;
        sums[1] += (double) hits / relevant;
        sums[2] += dcg / idcg;
        sums[3] += ap / relevant;
        sums[4] += hits > 0 ? 1 : 0;
    }

    static Map<String, Set<String>> itemsByUser(List<Rating> ratings) {
        Map<String, Set<String>> byUser = new HashMap<>();
        for (Rating r : ratings) {
            byUser.computeIfAbsent(r.user(), u -> new HashSet<>()).add(r.item());
        }
        return byUser;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

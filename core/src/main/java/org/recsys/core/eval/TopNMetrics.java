package org.recsys.core.eval;

import java.util.ArrayList;
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
        double precision = 0, recall = 0, ndcg = 0, map = 0, hitRate = 0;
        int users = 0, invalid = 0;
        for (Map.Entry<String, Set<String>> e : relevant.entrySet()) {
            users++;
            Set<String> userSeen = seen.getOrDefault(e.getKey(), Set.of());
            Set<String> items = e.getValue();
            List<String> ranked = recommendations.getOrDefault(e.getKey(), List.of());
            boolean bad = false;
            List<String> kept = new ArrayList<>();
            for (String item : ranked) {
                boolean allowed = userSeen.contains(item) == false && (candidates == null || candidates.contains(item));
                bad |= allowed == false;
                if (allowed && kept.size() < k) {
                    kept.add(item);
                }
            }
            if (bad) {
                invalid++;
            }
            int hits = 0;
            double dcg = 0, ap = 0;
            for (int r = 0; r < kept.size(); r++) {
                if (items.contains(kept.get(r))) {
                    hits++;
                    dcg += 1 / log2(r + 2);
                    ap += (double) hits / (r + 1);
                }
            }
            double idcg = 0;
            for (int r = 0; r < Math.min(items.size(), k); r++) {
                idcg += 1 / log2(r + 2);
            }
            precision += (double) hits / k;
            recall += (double) hits / items.size();
            ndcg += dcg / idcg;
            map += ap / items.size();
            hitRate += hits > 0 ? 1 : 0;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("precision@" + k, round(precision / users));
        out.put("recall@" + k, round(recall / users));
        out.put("ndcg@" + k, round(ndcg / users));
        out.put("map@" + k, round(map / users));
        out.put("hit_rate@" + k, round(hitRate / users));
        out.put("users", (double) users);
        out.put("users_with_invalid_recs", (double) invalid);
        return out;
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

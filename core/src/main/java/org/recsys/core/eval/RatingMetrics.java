package org.recsys.core.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rating-prediction metrics exactly as {@code shared/tools/evaluate.py rating} computes them (P4): MAE over all
 * query rows; per user, NDCG@1 and @3 of the query items ordered by predicted rating (ties in query order) with
 * gain 2^rating − 1, averaged over users.
 */
public final class RatingMetrics {

    public record Result(double mae, double ndcg1, double ndcg3, int users) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "MAE %.4f  nDCG@1 %.4f  nDCG@3 %.4f  (%d users)", mae, ndcg1, ndcg3, users);
        }
    }

    private RatingMetrics() {}

    /** @param predicted one prediction per query row, in the same order */
    public static Result evaluate(List<Rating> query, float[] predicted) {
        if (predicted.length != query.size()) {
            throw new IllegalArgumentException("[" + predicted.length + "] predictions for [" + query.size() + "] query rows");
        }
        double absolute = 0;
        Map<String, List<double[]>> byUser = new LinkedHashMap<>();
        for (int i = 0; i < predicted.length; i++) {
            Rating r = query.get(i);
            absolute += Math.abs(r.rating() - predicted[i]);
            byUser.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(new double[]{ predicted[i], r.rating() });
        }
        double ndcg1 = 0;
        double ndcg3 = 0;
        for (List<double[]> rows : byUser.values()) {
            List<double[]> order = new ArrayList<>(rows);
            order.sort(Comparator.comparingDouble(p -> -p[0]));
            List<double[]> ideal = new ArrayList<>(rows);
            ideal.sort(Comparator.comparingDouble(p -> -p[1]));
            ndcg1 += ndcg(order, ideal, 1);
            ndcg3 += ndcg(order, ideal, 3);
        }
        int users = byUser.size();
        return new Result(absolute / predicted.length, ndcg1 / users, ndcg3 / users, users);
    }

    private static double ndcg(List<double[]> order, List<double[]> ideal, int k) {
        double dcg = 0;
        double idcg = 0;
        for (int j = 0; j < Math.min(k, order.size()); j++) {
            double discount = Math.log(j + 2) / Math.log(2);
            dcg += (Math.pow(2, order.get(j)[1]) - 1) / discount;
            idcg += (Math.pow(2, ideal.get(j)[1]) - 1) / discount;
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }
}

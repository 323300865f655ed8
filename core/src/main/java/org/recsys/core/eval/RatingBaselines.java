package org.recsys.core.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The reference rating predictors of P4: the global mean, and each item's mean shrunk towards it. */
public final class RatingBaselines {

    /** Pseudo-ratings at the global mean added to every item (it reproduces P4's published item-mean figures). */
    public static final double SHRINKAGE = 5;

    private RatingBaselines() {}

    public static float[] globalMean(List<Rating> train, List<Rating> query) {
        float[] out = new float[query.size()];
        Arrays.fill(out, (float) mean(train));
        return out;
    }

    public static float[] itemMean(List<Rating> train, List<Rating> query) {
        double mu = mean(train);
        Map<String, double[]> sums = new HashMap<>();
        for (Rating r : train) {
            double[] s = sums.computeIfAbsent(r.item(), i -> new double[2]);
            s[0] += r.rating();
            s[1]++;
        }
        float[] out = new float[query.size()];
        for (int i = 0; i < out.length; i++) {
            double[] s = sums.getOrDefault(query.get(i).item(), new double[2]);
            out[i] = (float) ((s[0] + SHRINKAGE * mu) / (s[1] + SHRINKAGE));
        }
        return out;
    }

    private static double mean(List<Rating> rows) {
        double sum = 0;
        for (Rating r : rows) {
            sum += r.rating();
        }
        return sum / rows.size();
    }
}

package org.recsys.core.eval;

import org.recsys.core.melu.EncodedFeatures;
import org.recsys.core.melu.MeluModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Adaptation latency: {@link MeluModel#adapt} on the first {@code size} support ratings of real users, one call at a
 * time on one thread, after as many warm-up calls; the median and 99th percentile in microseconds.
 */
public final class MeluLatency {

    public record Result(int supportSize, int runs, double p50Micros, double p99Micros) {}

    private MeluLatency() {}

    public static Result measure(MeluModel model, MovieLensFeatures features, List<Rating> support, int size, int runs) {
        List<EncodedFeatures> users = new ArrayList<>();
        List<String[]> items = new ArrayList<>();
        List<float[]> ratings = new ArrayList<>();
        NewUserSplit.chronological(support).forEach((user, rows) -> {
            if (rows.size() >= size) {
                users.add(model.user(features.users().getOrDefault(user, Map.of())));
                items.add(rows.subList(0, size).stream().map(Rating::item).toArray(String[]::new));
                float[] r = new float[size];
                for (int i = 0; i < size; i++) {
                    r[i] = rows.get(i).rating();
                }
                ratings.add(r);
            }
        });
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no support user has " + size + " ratings");
        }
        long[] nanos = new long[runs];
        float sink = 0;
        for (int run = -runs; run < runs; run++) {
            int u = Math.floorMod(run, users.size());
            long start = System.nanoTime();
            sink += model.adapt(users.get(u), items.get(u), ratings.get(u)).fastWeights()[0];
            if (run >= 0) {
                nanos[run] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        if (Float.isNaN(sink)) {
            throw new IllegalStateException("adaptation produced NaN weights");
        }
        return new Result(size, runs, nanos[runs / 2] / 1e3, nanos[Math.min(runs - 1, (int) (runs * 0.99))] / 1e3);
    }
}

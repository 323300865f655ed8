package org.recsys.bench;

import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.vector.FlatVectors;
import org.recsys.core.wals.FoldIn;
import org.recsys.core.wals.WalsParams;

import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fold-in latency: {@code FoldInLatency RANK ITEMS INTERACTIONS CALLS}. Random item factors (fold-in cost does not
 * depend on their values), a user of INTERACTIONS distinct items; prints p50 and p99 over CALLS single-threaded calls
 * after as many warm-up calls. Run by {@code scripts/bench-foldin}.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class FoldInLatency {

    public static void main(String[] args) {
        int rank = Integer.parseInt(args[0]);
        int nItems = Integer.parseInt(args[1]);
        int interactions = Integer.parseInt(args[2]);
        int calls = Integer.parseInt(args[3]);
        SplittableRandom random = new SplittableRandom(1);
        float[] items = new float[nItems * rank];
        for (int i = 0; i < items.length; i++) {
            items[i] = (float) (random.nextGaussian() * 0.1);
        }
        WalsParams params = WalsParams.builder().rank(rank).build();
        FoldIn foldIn = new FoldIn(items, nItems, FoldIn.gram(items, nItems, rank), params, null, 1f, 1f);
        int[] ids = random.ints(0, nItems).distinct().limit(interactions).toArray();
        float[] weights = new float[interactions];
        Arrays.fill(weights, 1f);
        double[] micros = new double[calls];
        float sink = 0;
        for (int round = 0; round < 2; round++) {
            for (int c = 0; c < calls; c++) {
                long start = System.nanoTime();
                sink += foldIn.solve(ids, weights, interactions)[0];
                micros[c] = (System.nanoTime() - start) / 1e3;
            }
        }
        Arrays.sort(micros);
        System.out.println(
            Measurements.json(
                "benchmark",
                "fold-in",
                "date",
                Instant.now().toString(),
                "kernels",
                FlatVectors.implementation(),
                "items",
                nItems,
                "rank",
                rank,
                "interactions",
                interactions,
                "p50_us",
                micros[calls / 2],
                "p99_us",
                micros[(int) (calls * 0.99)],
                "load_average",
                Measurements.loadAverage(),
                "sink",
                (double) sink
            )
        );
    }
}

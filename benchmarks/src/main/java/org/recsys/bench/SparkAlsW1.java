package org.recsys.bench;

import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import org.recsys.core.util.SuppressForbidden;

/**
 * Protocol W1's peer: Spark MLlib ALS with {@code implicitPrefs}, {@code local[THREADS]}, on the same file, rank and
 * iteration count: {@code SparkAlsW1 FILE RANK THREADS ITERATIONS}. Spark reports no per-iteration time, so one
 * fit of 1 iteration (which also warms up) and one of 1 + ITERATIONS are timed; seconds per iteration is their
 * difference over ITERATIONS.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class SparkAlsW1 {

    public static void main(String[] args) {
        String file = args[0];
        int rank = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        SparkSession spark = SparkSession.builder()
            .master("local[" + threads + "]")
            .appName("w1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", String.valueOf(threads * 2))
            .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        long start = System.nanoTime();
        StructType schema = new StructType().add("user", "int").add("item", "int").add("rating", "float").add("ts", "long");
        Dataset<Row> ratings = spark.read().option("sep", "\t").schema(schema).csv(file).select("user", "item", "rating").cache();
        long rows = ratings.count();
        double readSeconds = (System.nanoTime() - start) / 1e9;
        double one = fitSeconds(ratings, rank, 1);
        double many = fitSeconds(ratings, rank, 1 + iterations);
        double total = (System.nanoTime() - start) / 1e9;
        System.out.println(
            Measurements.json(
                "impl",
                "spark-mllib-als-" + spark.version(),
                "rank",
                rank,
                "threads",
                threads,
                "interactions",
                rows,
                "read_s",
                readSeconds,
                "fit_1_iteration_s",
                one,
                "fit_" + (1 + iterations) + "_iterations_s",
                many,
                "iteration_s",
                (many - one) / iterations,
                "total_s",
                total,
                "peak_rss_mib",
                Measurements.peakRssMib(),
                "load_1m",
                Measurements.loadAverage()
            )
        );
        spark.stop();
    }

    private static double fitSeconds(Dataset<Row> ratings, int rank, int iterations) {
        long start = System.nanoTime();
        ALSModel model = new ALS().setImplicitPrefs(true)
            .setRank(rank)
            .setMaxIter(iterations)
            .setRegParam(0.1)
            .setAlpha(1.0)
            .setUserCol("user")
            .setItemCol("item")
            .setRatingCol("rating")
            .setSeed(7)
            .fit(ratings);
        model.userFactors().count();
        model.itemFactors().count();
        return (System.nanoTime() - start) / 1e9;
    }
}

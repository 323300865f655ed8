package org.recsys.bench;

import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.vector.FlatVectors;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Protocol W1 for recsys WALS: {@code WalsW1 FILE RANK THREADS ITERATIONS [CG_STEPS]}. Reads the TSV (rating as
 * weight), builds the matrix, trains with the CG solver (default steps unless given; loss not computed, as Spark does
 * not) and prints one JSON line.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class WalsW1 {

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int rank = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        long start = System.nanoTime();
        InteractionMatrix.Builder builder = new InteractionMatrix.Builder();
        InteractionFiles.forEach(file, (user, item, rating, timestamp) -> builder.add(user, item, rating));
        InteractionMatrix matrix = builder.build();
        double readSeconds = (System.nanoTime() - start) / 1e9;
        double[] seconds = new double[iterations];
        WalsParams defaults = WalsParams.defaults();
        int cgSteps = args.length > 4 ? Integer.parseInt(args[4]) : defaults.cgSteps();
        WalsParams params = defaults.toBuilder().rank(rank).threads(threads).iterations(iterations).cgSteps(cgSteps).build();
        // CPU seconds of the whole process per iteration: on a shared machine, less disturbed than the wall clock.
        double[] cpuSeconds = new double[iterations];
        long[] cpuBefore = { Measurements.processCpuNanos() };
        WalsModel model = new WalsTrainer(params).computeLoss(false).listener((it, n, loss, s) -> {
            seconds[it - 1] = s;
            long cpu = Measurements.processCpuNanos();
            cpuSeconds[it - 1] = (cpu - cpuBefore[0]) / 1e9;
            cpuBefore[0] = cpu;
        }).train(matrix);
        double total = (System.nanoTime() - start) / 1e9;
        System.out.println(
            Measurements.json(
                "impl",
                "recsys-wals-cg" + params.cgSteps(),
                "rank",
                rank,
                "threads",
                threads,
                "interactions",
                matrix.nnz(),
                "users",
                matrix.users().size(),
                "items",
                matrix.items().size(),
                "read_and_build_s",
                readSeconds,
                "iteration_s",
                seconds,
                "median_iteration_s_after_warmup",
                Measurements.median(Arrays.copyOfRange(seconds, 1, iterations)),
                "iteration_cpu_s",
                cpuSeconds,
                "median_iteration_cpu_s_after_warmup",
                Measurements.median(Arrays.copyOfRange(cpuSeconds, 1, iterations)),
                "file_to_factors_s",
                total,
                "matrix_bytes_per_interaction",
                (double) matrix.bytes() / matrix.nnz(),
                "peak_rss_mib",
                Measurements.peakRssMib(),
                "factors_checksum",
                (double) model.score(0, 0),
                "kernels",
                FlatVectors.implementation(),
                "load_1m",
                Measurements.loadAverage()
            )
        );
    }
}

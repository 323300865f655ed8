package org.recsys.bench;

import ai.djl.pytorch.jni.JniUtils;

import org.recsys.core.encoder.Pooling;
import org.recsys.core.encoder.TextEncoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How PyTorch's intra-op threads pay off on this machine: {@code EncoderThreads MODEL_DIR ITEMS.jsonl N ROUNDS}
 * encodes the first N I1 texts (length-sorted passes of 32, max_seq_length 128) per round in three ways, alternated
 * so that the machine's load touches all three: one worker with 2 PyTorch threads, two workers with 1 thread each
 * (every other text), one worker with 1 thread. Prints documents per second per round.
 */
public final class EncoderThreads {

    public static void main(String[] args) throws Exception {
        List<String> texts = EncoderCeiling.texts(Path.of(args[1])).subList(0, Integer.parseInt(args[2]));
        int rounds = Integer.parseInt(args[3]);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (TextEncoder encoder = TextEncoder.load(Path.of(args[0]))) {
            encoder.encodeByLength(texts.subList(0, 32), Pooling.MEAN, true, 128, 32);
            for (int round = 1; round <= rounds; round++) {
                JniUtils.setNumThreads(2);
                double oneWorkerTwoThreads = docsPerSecond(texts, () -> encoder.encodeByLength(texts, Pooling.MEAN, true, 128, 32));
                JniUtils.setNumThreads(1);
                double twoWorkersOneThread = docsPerSecond(texts, () -> {
                    List<Future<?>> halves = new ArrayList<>();
                    for (int w = 0; w < 2; w++) {
                        List<String> half = new ArrayList<>();
                        for (int i = w; i < texts.size(); i += 2) {
                            half.add(texts.get(i));
                        }
                        halves.add(workers.submit(() -> encoder.encodeByLength(half, Pooling.MEAN, true, 128, 32)));
                    }
                    for (Future<?> half : halves) {
                        half.get();
                    }
                });
                double oneWorkerOneThread = docsPerSecond(texts, () -> encoder.encodeByLength(texts, Pooling.MEAN, true, 128, 32));
                System.out.println(Measurements.json(
                    "benchmark", "I1-threads",
                    "model", Path.of(args[0]).getFileName().toString(),
                    "documents", texts.size(),
                    "round", round,
                    "one_worker_2_threads_docs_per_s", oneWorkerTwoThreads,
                    "two_workers_1_thread_docs_per_s", twoWorkersOneThread,
                    "one_worker_1_thread_docs_per_s", oneWorkerOneThread,
                    "load_average", Measurements.loadAverage()
                ));
            }
        } finally {
            workers.shutdown();
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double docsPerSecond(List<String> texts, Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }
}

package org.recsys.core.encoder;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Several threads encoding at once with one shared model, each pass on one intra-op thread (as the node's inference
 * workers do), give every text the vector it gets alone, for each model format.
 */
class ConcurrentEncodingTest {

    private static final int WORKERS = 3;

    private static List<String> texts() {
        String[] words = { "star", "wars", "empire", "farm", "boy", "rebellion", "jedi", "drama", "romance", "1977", "sisters", "england" };
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w <= i % 17; w++) {
                text.append(words[(i * 7 + w * 5) % words.length]).append(' ');
            }
            texts.add(text.toString().strip());
        }
        return texts;
    }

    @Test
    void oneThreadWorkersSharingAModelGiveEachTextItsOwnVector() throws Exception {
        List<String> texts = texts();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            for (String format : List.of("tiny-bert", "tiny-bert-torchscript", "tiny-bert-onnx")) {
                check(format, texts, workers);
            }
        } finally {
            workers.shutdown();
        }
    }

    private static void check(String format, List<String> texts, ExecutorService workers) throws Exception {
        List<float[]> alone = new ArrayList<>();
        // One thread here too: on a busy machine, two threads waiting for each other make 90 tiny passes take a minute.
        try (TextEncoder reference = TextEncoder.load(ExportedTransformerTest.fixture(format), 1)) {
            for (String text : texts) {
                alone.add(reference.encode(List.of(text), Pooling.TOP4_MEAN, true, 32).vectors()[0]);
            }
        }
        try (TextEncoder shared = TextEncoder.load(ExportedTransformerTest.fixture(format), 1)) {
            for (int round = 0; round < 3; round++) {
                List<Future<float[][]>> parts = new ArrayList<>();
                List<Future<Integer>> threads = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    List<String> part = every(texts, w);
                    parts.add(workers.submit(() -> shared.encodeByLength(part, Pooling.TOP4_MEAN, true, 32, 8).vectors()));
                    threads.add(workers.submit(JniUtils::getNumThreads));
                }
                for (int w = 0; w < WORKERS; w++) {
                    float[][] vectors = parts.get(w).get();
                    for (int j = 0; j < vectors.length; j++) {
                        int i = w + j * WORKERS;
                        float[] expected = alone.get(i);
                        for (int d = 0; d < expected.length; d++) {
                            assertEquals(expected[d], vectors[j][d], 1e-5f, format + ": text " + i + ", dimension " + d);
                        }
                    }
                    assertEquals(1, threads.get(w).get(), format + ": PyTorch's intra-op threads of a worker");
                }
            }
        }
    }

    /** Every WORKERS-th text from {@code first}, so that each worker gets long and short texts. */
    private static List<String> every(List<String> texts, int first) {
        List<String> part = new ArrayList<>();
        for (int i = first; i < texts.size(); i += WORKERS) {
            part.add(texts.get(i));
        }
        return part;
    }

    @Test
    void aNegativeThreadCountIsRefused() {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> TextEncoder.load(ExportedTransformerTest.fixture("tiny-bert"), -1));
        assertEquals("threads must be 0 (the engines' defaults) or more, got -1", e.getMessage());
    }
}

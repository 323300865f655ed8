package org.recsys.core.sequential;

import ai.djl.pytorch.jni.JniUtils;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recsys.core.data.IdIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A seed and a thread count give the same model, bit for bit, with two PyTorch threads and batches large enough for
 * PyTorch to parallelise the embedding gradients (a node's training is compared with an offline one by their bytes).
 */
class SequentialTrainerReproducibilityTest {

    private static int threadsBefore;

    @BeforeAll
    static void twoThreads() {
        TorchEngine.get();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(2);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void twoThreadsGiveTheSameBytesTwice() {
        int items = 300;
        IdIndex ids = new IdIndex();
        for (int i = 0; i < items; i++) {
            ids.add("i" + i);
        }
        Random random = new Random(3);
        int[][] sequences = new int[64][];
        int[][] histories = new int[8][];
        int[] targets = new int[8];
        for (int u = 0; u < sequences.length; u++) {
            sequences[u] = random.ints(40 + random.nextInt(20), 0, items).toArray();
        }
        for (int v = 0; v < histories.length; v++) {
            histories[v] = sequences[v];
            targets[v] = random.nextInt(items);
        }
        // 64 windows of up to 60 tokens × 16 dims: above the size at which PyTorch parallelises an indexing backward.
        SequentialParams params = new SequentialParams(16, 1, 2, 60, 0.3f, true, 0.1f, 1e-3f, 0.01f, 64, 2, 2, 5L);
        NextItemValidation validation = new NextItemValidation(histories, targets);
        byte[] first = SequentialModelFile.toBytes(new SequentialTrainer(params).train(ids, sequences, validation).model());
        byte[] second = SequentialModelFile.toBytes(new SequentialTrainer(params).train(ids, sequences, validation).model());
        assertArrayEquals(first, second);
    }
}

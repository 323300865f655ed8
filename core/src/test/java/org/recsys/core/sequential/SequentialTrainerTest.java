package org.recsys.core.sequential;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recsys.core.data.IdIndex;
import org.recsys.core.topk.TopK;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialTrainerTest {

    private static final int ITEMS = 12;

    @BeforeAll
    static void oneThread() {
        // Tensors this small gain nothing from a second thread, and OpenMP's spinning costs much on a loaded machine.
        TorchEngine.get();
        JniUtils.setNumThreads(1);
    }

    /** Walks around a cycle of the items from random starts: the next item is always the previous one plus one. */
    private static int[][] cycles(int users, int length, long seed) {
        Random random = new Random(seed);
        int[][] out = new int[users][];
        for (int u = 0; u < users; u++) {
            int start = random.nextInt(ITEMS);
            out[u] = new int[1 + random.nextInt(length)];
            for (int t = 0; t < out[u].length; t++) {
                out[u][t] = (start + t) % ITEMS;
            }
        }
        return out;
    }

    private static IdIndex items() {
        IdIndex ids = new IdIndex();
        for (int i = 0; i < ITEMS; i++) {
            ids.add("item" + i);
        }
        return ids;
    }

    private static NextItemValidation validation(int[][] histories) {
        int[] targets = new int[histories.length];
        for (int u = 0; u < histories.length; u++) {
            targets[u] = (histories[u][histories[u].length - 1] + 1) % ITEMS;
        }
        return new NextItemValidation(histories, targets);
    }

    private static SequentialParams params(int epochs) {
        return SequentialParams.builder()
            .hidden(16)
            .layers(1)
            .maxLength(8)
            .dropout(0f)
            .learningRate(5e-3f)
            .weightDecay(0f)
            .batchSize(16)
            .maxEpochs(epochs)
            .patience(epochs)
            .seed(7L)
            .causal(false)
            .negatives(0)
            .build();
    }

    @Test
    void learnsADeterministicNextItem() {
        // Training windows reach max_length (8 tokens); validation and test histories leave room for the mask. The
        // validation step has 200 users: a few dozen are all ranked first well before the model is right for all.
        learnsTheCycle(params(60).toBuilder().patience(10).build());
    }

    /** The causal objective with a sampled softmax of 4 random items (of 12) beside the batch's targets. */
    @Test
    void learnsADeterministicNextItemCausallyWithSampledNegatives() {
        learnsTheCycle(params(60).toBuilder().patience(10).causal(true).negatives(4).build());
    }

    private static void learnsTheCycle(SequentialParams params) {
        SequentialTrainer.Result result = new SequentialTrainer(params).train(items(), cycles(128, 8, 1), validation(cycles(200, 7, 2)));
        SequentialModel model = result.model();
        int[][] test = cycles(200, 7, 3);
        int hits = 0;
        for (int[] history : test) {
            // Ranked as P3, the validation step and serving rank: the history's items are not candidates.
            BitSet seen = new BitSet(ITEMS);
            for (int item : history) {
                seen.set(item);
            }
            TopK.Result top =
                TopK.dotProduct(model.queryVector(history), 0, model.itemVectors(), ITEMS, model.shape().vectorDimension(), 1, seen);
            if (top.indices()[0] == (history[history.length - 1] + 1) % ITEMS) {
                hits++;
            }
        }
        assertTrue(hits >= 0.95 * test.length, "HR@1 " + hits + "/" + test.length + ", loss " + java.util.Arrays.toString(result.loss()));
    }

    @Test
    void garbageCollectionsDuringTrainingChangeNothing() throws InterruptedException {
        // Autograd keeps the forward's scalar factors for the backward pass; were their buffers freed by a collection in
        // between (as DJL's mul(Number) lets happen), the gradients would be garbage (SequentialNetwork.Constants).
        int[][] train = cycles(64, 7, 4);
        NextItemValidation valid = validation(cycles(16, 7, 5));
        double[] quiet = new SequentialTrainer(params(3)).train(items(), train, valid).loss();
        AtomicBoolean done = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            while (done.get() == false) {
                System.gc();
            }
        });
        collector.start();
        double[] collected;
        try {
            collected = new SequentialTrainer(params(3)).train(items(), train, valid).loss();
        } finally {
            done.set(true);
            collector.join();
        }
        assertArrayEquals(quiet, collected);
    }

    @Test
    void twoThreadsGiveTheSameGradientsEveryTime() {
        // Big enough for PyTorch to split work between threads; with indexing as the lookup the embedding tables'
        // gradients differed from one pass to the next (SequentialNetwork.rows).
        ModelShape shape = new ModelShape(500, 32, 1, 2, 200);
        Random random = new Random(5);
        List<int[]> windows = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            int[] w = new int[100 + random.nextInt(100)];
            for (int t = 0; t < w.length; t++) {
                w[t] = random.nextInt(shape.items());
            }
            windows.add(w);
        }
        TrainingBatch batch = TrainingBatch.of(windows, shape, 0.3f, true, random);
        Engine engine = TorchEngine.get();
        JniUtils.setNumThreads(2);
        try (NDManager root = NDManager.newBaseManager(engine.defaultDevice(), engine.getEngineName());
            SequentialNetwork network = new SequentialNetwork(shape, Initialisation.of(shape, random), root)) {
            Map<String, float[]> first = null;
            for (int pass = 0; pass < 4; pass++) {
                Map<String, float[]> gradients = new LinkedHashMap<>();
                try (NDManager m = root.newSubManager()) {
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        collector.backward(SequentialTrainer.loss(network, m, batch, 0f, null));
                    }
                    network.parameters().forEach((name, p) -> {
                        NDArray g = p.getGradient();
                        g.attach(m);
                        gradients.put(name, g.toFloatArray());
                        g.subi(g);
                    });
                }
                if (first == null) {
                    first = gradients;
                } else {
                    for (String name : first.keySet()) {
                        assertArrayEquals(first.get(name), gradients.get(name), name + " in pass " + pass);
                    }
                }
            }
        } finally {
            JniUtils.setNumThreads(1);
        }
    }

    @Test
    void theSameSeedGivesTheSameLossCurve() {
        int[][] train = cycles(64, 7, 4);
        NextItemValidation valid = validation(cycles(16, 7, 5));
        double[] first = new SequentialTrainer(params(3)).train(items(), train, valid).loss();
        double[] second = new SequentialTrainer(params(3)).train(items(), train, valid).loss();
        assertArrayEquals(first, second);
        SequentialParams otherSeed = params(3).toBuilder().learningRate(1e-2f).seed(8L).build();
        double[] third = new SequentialTrainer(otherSeed).train(items(), train, valid).loss();
        assertTrue(first[2] != third[2], "another seed gives another run");
    }
}

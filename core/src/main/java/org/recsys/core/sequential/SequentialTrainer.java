package org.recsys.core.sequential;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.recsys.core.baseline.TransitionCounts;
import org.recsys.core.data.IdIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the masked-item model on DJL's PyTorch engine (autograd, AdamW, CPU). Every epoch shuffles the users,
 * cuts each user's sequence at a random end, masks its last {@code maxLength} items
 * afresh (the tail always) and takes one step per batch with
 * the cross-entropy of the masked positions over all items; after every epoch the validation step is scored, and
 * the parameters of the best epoch are kept. Training stops after {@code patience} epochs without a better NDCG@10.
 * That NDCG@10 is the network's own; the model keeps the weight of the transition score ({@link TransitionFusion})
 * that gave the best epoch's fused ranking the best NDCG@10 on the same step. (Early stopping on the fused ranking
 * would stop a network whose transitions already rank well before it has learnt anything.)
 * A seed gives the same run for the same PyTorch thread count.
 */
public final class SequentialTrainer {

    /** Called after every epoch. */
    @FunctionalInterface
    public interface Listener {
        void epoch(int epoch, double loss, NextItemValidation.Metrics validation, double seconds);
    }

    /** The model of the best epoch (with its fusion) and the curves of the whole run. */
    public record Result(SequentialModel model, int bestEpoch, double[] loss, double[] validationNdcg) {}

    private final SequentialParams params;
    private Listener listener = (e, l, v, s) -> {
    };

    public SequentialTrainer(SequentialParams params) {
        this.params = params;
    }

    public SequentialTrainer listener(Listener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * @param sequences each user's item indices (of {@code items}), oldest first; users with no items are skipped
     */
    public Result train(IdIndex items, int[][] sequences, NextItemValidation validation) {
        ModelShape shape = params.shape(items.size());
        List<int[]> users = new ArrayList<>();
        for (int[] s : sequences) {
            if (s.length > 0) {
                users.add(s);
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no training sequences: every user's history is empty");
        }
        Engine engine = TorchEngine.get();
        engine.setRandomSeed((int) params.seed());
        Random random = new Random(params.seed());
        List<Double> losses = new ArrayList<>();
        List<Double> ndcgs = new ArrayList<>();
        Map<String, float[]> best = null;
        int bestEpoch = 0;
        double bestNdcg = Double.NEGATIVE_INFINITY;
        float bestWeight = 0f;
        // The validation step's transitions are the training sequences' only, as the model's are.
        TransitionCounts trainingCounts =
            new TransitionCounts(users.toArray(int[][]::new), shape.items()).bounded(TransitionFusion.MAX_SUCCESSORS);
        try (NDManager root = NDManager.newBaseManager(engine.defaultDevice(), engine.getEngineName());
            SequentialNetwork network = new SequentialNetwork(shape, Initialisation.of(shape, random), root);
            Adam adam = new Adam(network.parameters(), params.learningRate(), params.weightDecay(), root)) {
            for (int epoch = 1; epoch <= params.maxEpochs() && epoch - bestEpoch <= params.patience(); epoch++) {
                long start = System.nanoTime();
                double lossSum = 0;
                List<List<int[]>> batches = batches(shape.causal() ? causalWindows(users, shape) : windows(users, shape, random), random);
                for (List<int[]> batch : batches) {
                    TrainingBatch b = shape.causal()
                        ? TrainingBatch.causal(batch)
                        : TrainingBatch.of(batch, shape, params.maskProbability(), params.everyMasked(), random);
                    TrainingBatch.SampledItems sampled =
                        params.sampled(shape.items()) ? b.sample(shape.items(), params.negatives(), random) : null;
                    lossSum += step(network, adam, root, b, sampled);
                }
                double loss = lossSum / batches.size();
                NextItemValidation.Metrics metrics = validation.evaluate(network, shape, root, params.batchSize(), trainingCounts);
                losses.add(loss);
                ndcgs.add(metrics.ndcg());
                if (metrics.ndcg() > bestNdcg) {
                    bestNdcg = metrics.ndcg();
                    bestEpoch = epoch;
                    bestWeight = metrics.weight();
                    best = network.export();
                }
                listener.epoch(epoch, loss, metrics, (System.nanoTime() - start) / 1e9);
            }
        }
        return new Result(
            new SequentialModel(shape, items, best, servedFusion(bestWeight, users, validation, shape.items())),
            bestEpoch,
            losses.stream().mapToDouble(Double::doubleValue).toArray(),
            ndcgs.stream().mapToDouble(Double::doubleValue).toArray()
        );
    }

    /**
     * The fusion the model serves: the chosen weight over the transitions of the training sequences and of each
     * validated user's last step, the whole of what the model was given (as the transition baseline is refitted on
     * train + valid).
     */
    private static TransitionFusion servedFusion(float weight, List<int[]> sequences, NextItemValidation validation, int items) {
        if (weight == 0f) {
            return TransitionFusion.none(items);
        }
        List<int[]> all = new ArrayList<>(sequences);
        all.addAll(List.of(validation.lastSteps()));
        return new TransitionFusion(
            weight,
            new TransitionCounts(all.toArray(int[][]::new), items).bounded(TransitionFusion.MAX_SUCCESSORS)
        );
    }

    /**
     * Each user's window for an epoch: the items up to a random end, at most {@code maxLength} of them. Were the end
     * always the last item, the always-masked tail would ask for the same item every epoch, which a model memorises.
     */
    private static List<int[]> windows(List<int[]> users, ModelShape shape, Random random) {
        List<int[]> windows = new ArrayList<>(users.size());
        for (int[] s : users) {
            int end = 1 + random.nextInt(s.length);
            windows.add(Arrays.copyOfRange(s, Math.max(0, end - shape.maxLength()), end));
        }
        return windows;
    }

    /**
     * Each user's last {@code maxLength + 1} items, of users with at least two: every position but the last is
     * trained on the item after it, so one window per user and epoch covers the whole window.
     */
    private static List<int[]> causalWindows(List<int[]> users, ModelShape shape) {
        List<int[]> windows = new ArrayList<>(users.size());
        for (int[] s : users) {
            if (s.length >= 2) {
                windows.add(Arrays.copyOfRange(s, Math.max(0, s.length - shape.maxLength() - 1), s.length));
            }
        }
        return windows;
    }

    /**
     * Windows of similar length batched together, since a batch is padded to its longest: shuffled, stably sorted by
     * length, cut into batches, and the batches shuffled.
     */
    private List<List<int[]>> batches(List<int[]> windows, Random random) {
        List<int[]> order = new ArrayList<>(windows);
        Collections.shuffle(order, random);
        order.sort(Comparator.comparingInt(w -> w.length));
        List<List<int[]>> batches = new ArrayList<>();
        for (int from = 0; from < order.size(); from += params.batchSize()) {
            batches.add(order.subList(from, Math.min(order.size(), from + params.batchSize())));
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    /** The mean cross-entropy of the batch's loss rows over all items, or over {@code sampled}'s when not null. */
    static NDArray loss(SequentialNetwork network, NDManager m, TrainingBatch b, float dropout, TrainingBatch.SampledItems sampled) {
        NDArray hidden = network.hidden(m, b.sequences(), dropout, true).get(m.create(b.lossRows()));
        NDArray scored = sampled == null ? network.itemScores(hidden) : network.candidateScores(hidden, sampled.candidates());
        NDArray targets = m.create(sampled == null ? b.targets() : sampled.columns()).reshape(-1, 1);
        return scored.logSoftmax(-1).gather(targets, 1).mean().neg();
    }

    private float step(SequentialNetwork network, Adam adam, NDManager root, TrainingBatch b, TrainingBatch.SampledItems sampled) {
        try (NDManager m = root.newSubManager()) {
            float loss;
            try (GradientCollector collector = TorchEngine.get().newGradientCollector()) {
                NDArray lossArray = loss(network, m, b, params.dropout(), sampled);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            adam.step(m);
            return loss;
        }
    }
}

package org.recsys.core.melu;

import org.recsys.core.optim.Adam;
import org.recsys.core.util.Workers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

/**
 * Meta-training (MeLU, Lee et al. 2019): for each batch of users, adapt the decision layers to each user's support
 * ratings with {@link MeluParams#localSteps()} SGD steps, take the gradient of the query loss at the fast weights
 * (first or second order), average over the batch, clamp every component to ±10 ({@link MetaStep}) and update all
 * parameters, embeddings included, with Adam. The result depends on the seed only, not on the thread count.
 */
public final class MeluTrainer {

    /** Receives progress after each epoch. */
    @FunctionalInterface
    public interface Listener {
        void epoch(int epoch, int epochs, double queryLoss, double seconds);
    }

    private static final float EMBEDDING_INIT_STD = 0.1f;

    private final MeluParams params;
    private Listener listener = (e, n, l, s) -> {
    };
    private Workers workers = Workers.offline();

    public MeluTrainer(MeluParams params) {
        this.params = params;
    }

    public MeluTrainer listener(Listener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Where a batch's tasks are adapted in parallel ({@link MeluParams#threads()} workers), and the cancellation checked
     * before every batch: when it answers true, {@link #train} throws {@link CancellationException}. By default daemon
     * threads, never cancelled.
     */
    public MeluTrainer runOn(Workers workers) {
        this.workers = workers;
        return this;
    }

    public MeluModel train(FeatureVocabulary vocabulary, ItemCatalog catalog, List<MetaTask> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no training users with enough ratings");
        }
        ParameterLayout layout = new ParameterLayout(vocabulary, params.embeddingDim(), params.hidden1(), params.hidden2());
        Random random = new Random(params.seed());
        float[] weights = initialParameters(layout, random, meanRating(tasks));
        Adam adam = Adam.ofFloats(params.globalLr(), layout.size);
        int[] order = new int[tasks.size()];
        Arrays.setAll(order, i -> i);
        float[] metaGradient = new float[layout.size];
        MetaStep step = new MetaStep(params, layout, catalog, Math.min(params.batchSize(), tasks.size()), workers);
        for (int epoch = 1; epoch <= params.epochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, random);
            double loss = 0;
            for (int from = 0; from < order.length; from += params.batchSize()) {
                workers.checkCancelled("training cancelled in epoch " + epoch);
                int to = Math.min(order.length, from + params.batchSize());
                List<MetaTask> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(tasks.get(order[i]));
                }
                loss += step.metaGradient(weights, batch, metaGradient) * batch.size();
                adam.step(weights, metaGradient);
            }
            listener.epoch(epoch, params.epochs(), loss / order.length, (System.nanoTime() - start) / 1e9);
        }
        return new MeluModel(
            params.embeddingDim(),
            params.hidden1(),
            params.hidden2(),
            params.localSteps(),
            params.localLr(),
            params.minRating(),
            params.maxRating(),
            vocabulary,
            catalog,
            weights
        );
    }

    /** The mean of all ratings; a rating outside the scale is an error naming it. */
    private float meanRating(List<MetaTask> tasks) {
        double sum = 0;
        long n = 0;
        for (MetaTask t : tasks) {
            for (float[] ratings : new float[][]{ t.supportRatings(), t.queryRatings() }) {
                for (float r : ratings) {
                    if ((r >= params.minRating() && r <= params.maxRating()) == false) {
                        throw new IllegalArgumentException(
                            "training rating [" + r + "] is outside the scale [" + params.minRating() + ", " + params.maxRating() + "]"
                        );
                    }
                    sum += r;
                    n++;
                }
            }
        }
        return (float) (sum / n);
    }

    /**
     * Embeddings N(0, {@value #EMBEDDING_INIT_STD}²); dense weights and biases U(±1/√fan_in) as PyTorch's Linear;
     * the output bias at the mean rating, so training starts from the global-mean predictor.
     */
    static float[] initialParameters(ParameterLayout layout, Random random, float meanRating) {
        float[] w = new float[layout.size];
        for (int p = 0; p < layout.dense; p++) {
            w[p] = (float) random.nextGaussian() * EMBEDDING_INIT_STD;
        }
        DecisionNetwork net = layout.network;
        int o = layout.dense;
        uniform(w, o + net.w1, o + net.w2, net.in, random);
        uniform(w, o + net.w2, o + net.w3, net.h1, random);
        uniform(w, o + net.w3, o + net.size, net.h2, random);
        w[o + net.b3] = meanRating;
        return w;
    }

    /** Weights and biases of one layer, [from, to). */
    private static void uniform(float[] w, int from, int to, int fanIn, Random random) {
        double bound = 1 / Math.sqrt(fanIn);
        for (int p = from; p < to; p++) {
            w[p] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}

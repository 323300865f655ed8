package org.recsys.core.fusion;

import org.recsys.core.optim.Adam;

import java.util.Random;

/**
 * Trains a {@link FusionNet} to reorder candidate lists: pairwise (BPR) loss between each relevant candidate and
 * negatives sampled from the same list, mini-batches, Adam. After every epoch the network is scored on validation
 * lists (NDCG@k), and the best epoch's network is kept, so more epochs cannot overfit the stored model.
 * Single-threaded and deterministic for a seed; a few seconds for tens of thousands of positives.
 */
public final class FusionTrainer {

    /**
     * @param inputs    the features the network reads
     * @param negatives negatives sampled per relevant candidate and epoch
     */
    public record Params(FusionFeature[] inputs, int hidden, int epochs, double learningRate, int negatives, int batch, long seed) {
        public static Params defaults() {
            return new Params(
                new FusionFeature[]{ FusionFeature.COLLABORATIVE, FusionFeature.CONTENT, FusionFeature.POPULARITY },
                128,
                30,
                1e-3,
                4,
                128,
                7
            );
        }
    }

    /** The kept network, its validation NDCG@k, the first phase's on the same lists, and the epoch it came from. */
    public record Result(FusionNet net, double validationNdcg, double firstPhaseNdcg, int bestEpoch, int pairsPerEpoch) {}

    @FunctionalInterface
    public interface EpochListener {
        void epoch(int epoch, double meanLoss, double validationNdcg);
    }

    private final Params p;
    private final int n;
    private final int h;
    private final int[] inputs;
    // Parameters and their summed gradient, flat: W1 (h×n), B1 (h), W2 (h), B2 (1).
    private final double[] theta;
    private final double[] grad;
    private final Adam adam;
    private final int b1At;
    private final int w2At;
    private final int b2At;
    private final double[] hiddenPos;
    private final double[] hiddenNeg;

    public FusionTrainer(Params params) {
        this.p = params;
        this.n = params.inputs().length;
        this.h = params.hidden();
        if (n == 0 || h < 1 || params.epochs() < 1 || params.negatives() < 1 || params.batch() < 1 || params.learningRate() <= 0) {
            throw new IllegalArgumentException("invalid fusion training parameters " + params);
        }
        this.inputs = new int[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = params.inputs()[i].ordinal();
        }
        b1At = h * n;
        w2At = b1At + h;
        b2At = w2At + h;
        theta = new double[b2At + 1];
        grad = new double[theta.length];
        adam = Adam.ofDoubles(params.learningRate(), theta.length);
        hiddenPos = new double[h];
        hiddenNeg = new double[h];
    }

    public Result train(CandidateLists training, CandidateLists validation, int k, EpochListener listener) {
        int rows = training.rows();
        double[] mean = new double[n];
        double[] std = new double[n];
        standardisation(training, mean, std);
        double[] z = new double[rows * n];
        double[] f = training.features();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                z[r * n + i] = (f[r * FusionFeature.COUNT + inputs[i]] - mean[i]) / std[i];
            }
        }
        Random random = new Random(p.seed());
        initialise(random);

        double firstPhase = validation.ndcg(WeightedSum.collaborativeOnly(), k);
        FusionNet best = null;
        double bestNdcg = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int pairs = 0;
        int[] negatives = new int[0];
        for (int epoch = 1; epoch <= p.epochs(); epoch++) {
            double loss = 0;
            int inBatch = 0;
            pairs = 0;
            for (int l = 0; l < training.lists(); l++) {
                int s = training.start(l);
                int e = training.end(l);
                int nNeg = 0;
                if (negatives.length < e - s) {
                    negatives = new int[e - s];
                }
                for (int r = s; r < e; r++) {
                    if (training.relevant(r) == false) {
                        negatives[nNeg++] = r;
                    }
                }
                if (nNeg == 0 || nNeg == e - s) {
                    continue;
                }
                for (int pos = s; pos < e; pos++) {
                    if (training.relevant(pos) == false) {
                        continue;
                    }
                    for (int t = 0; t < p.negatives(); t++) {
                        loss += pair(z, pos, negatives[random.nextInt(nNeg)]);
                        pairs++;
                        if (++inBatch == p.batch()) {
                            adam.step(theta, grad, inBatch);
                            inBatch = 0;
                        }
                    }
                }
            }
            if (inBatch > 0) {
                adam.step(theta, grad, inBatch);
            }
            FusionNet net = net(mean, std);
            double ndcg = validation.ndcg(net, k);
            if (listener != null) {
                listener.epoch(epoch, pairs == 0 ? 0 : loss / pairs, ndcg);
            }
            if (ndcg > bestNdcg) {
                bestNdcg = ndcg;
                best = net;
                bestEpoch = epoch;
            }
        }
        if (pairs == 0) {
            throw new IllegalArgumentException(
                "no training pairs: no candidate list has both a held-out item and a negative; more interactions or a larger window are needed"
            );
        }
        return new Result(best, bestNdcg, firstPhase, bestEpoch, pairs);
    }

    private void standardisation(CandidateLists lists, double[] mean, double[] std) {
        double[] f = lists.features();
        int rows = lists.rows();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                mean[i] += f[r * FusionFeature.COUNT + inputs[i]];
            }
        }
        for (int i = 0; i < n; i++) {
            mean[i] /= Math.max(1, rows);
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                double d = f[r * FusionFeature.COUNT + inputs[i]] - mean[i];
                std[i] += d * d;
            }
        }
        for (int i = 0; i < n; i++) {
            double s = Math.sqrt(std[i] / Math.max(1, rows));
            // A constant feature (no text vectors, say) stays at 0 after standardisation instead of dividing by 0.
            std[i] = s > 1e-12 ? s : 1;
        }
    }

    private void initialise(Random random) {
        double scale1 = Math.sqrt(2.0 / n);
        for (int i = 0; i < h * n; i++) {
            theta[i] = random.nextGaussian() * scale1;
        }
        double scale2 = Math.sqrt(1.0 / h);
        for (int j = 0; j < h; j++) {
            theta[w2At + j] = random.nextGaussian() * scale2;
        }
    }

    /** Forward and backward of one (relevant, negative) pair; gradients accumulate. Returns the pair's loss. */
    private double pair(double[] z, int pos, int neg) {
        double sp = forward(z, pos * n, hiddenPos);
        double sn = forward(z, neg * n, hiddenNeg);
        double d = sp - sn;
        // loss = log(1 + e^-d); dloss/dd = -1 / (1 + e^d)
        double g = -1 / (1 + Math.exp(d));
        backward(z, pos * n, hiddenPos, g);
        backward(z, neg * n, hiddenNeg, -g);
        return d > 0 ? Math.log1p(Math.exp(-d)) : -d + Math.log1p(Math.exp(d));
    }

    private double forward(double[] z, int at, double[] hidden) {
        double out = theta[b2At];
        for (int j = 0; j < h; j++) {
            double a = theta[b1At + j];
            for (int i = 0; i < n; i++) {
                a += theta[j * n + i] * z[at + i];
            }
            hidden[j] = a > 0 ? a : 0;
            out += theta[w2At + j] * hidden[j];
        }
        return out;
    }

    private void backward(double[] z, int at, double[] hidden, double g) {
        grad[b2At] += g;
        for (int j = 0; j < h; j++) {
            grad[w2At + j] += g * hidden[j];
            if (hidden[j] > 0) {
                double gh = g * theta[w2At + j];
                grad[b1At + j] += gh;
                for (int i = 0; i < n; i++) {
                    grad[j * n + i] += gh * z[at + i];
                }
            }
        }
    }

    private FusionNet net(double[] mean, double[] std) {
        float[] w1 = new float[h * n];
        float[] b1 = new float[h];
        float[] w2 = new float[h];
        for (int i = 0; i < h * n; i++) {
            w1[i] = (float) theta[i];
        }
        for (int j = 0; j < h; j++) {
            b1[j] = (float) theta[b1At + j];
            w2[j] = (float) theta[w2At + j];
        }
        return new FusionNet(inputs, mean, std, w1, b1, w2, (float) theta[b2At]);
    }
}

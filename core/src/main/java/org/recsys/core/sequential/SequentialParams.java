package org.recsys.core.sequential;

import java.util.Locale;

/**
 * Architecture and training settings of the masked-item model. Defaults are sized for two CPU cores and were chosen
 * on P3's validation step (docs/sequential.md).
 *
 * @param maskProbability chance that each position other than the tail is masked (the tail always is)
 * @param everyMasked     whether the loss reads every masked position, not only the tail
 * @param patience        epochs without a better validation NDCG@10 before training stops
 * @param causal          causal attention trained on the next item at every position (SASRec's objective) instead
 *                        of masked items (BERT4Rec's); masking settings then do not apply
 * @param negatives       the loss's softmax runs over every item of a catalogue of at most this many items (or when
 *                        0), else over the batch's targets and this many items drawn at random: a sampled softmax,
 *                        whose time and memory no longer grow with the catalogue
 */
public record SequentialParams(
    int hidden,
    int layers,
    int heads,
    int maxLength,
    float maskProbability,
    boolean everyMasked,
    float dropout,
    float learningRate,
    float weightDecay,
    int batchSize,
    int maxEpochs,
    int patience,
    long seed,
    boolean causal,
    int negatives
) {

    public SequentialParams {
        require(maskProbability >= 0 && maskProbability < 1, "mask_probability", maskProbability, "in [0, 1)");
        require(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1)");
        require(learningRate > 0, "learning_rate", learningRate, "positive");
        require(weightDecay >= 0, "weight_decay", weightDecay, "zero or positive");
        require(batchSize >= 1, "batch_size", batchSize, "at least 1");
        require(maxEpochs >= 1, "max_epochs", maxEpochs, "at least 1");
        require(patience >= 1, "patience", patience, "at least 1");
        require(negatives >= 0, "negatives", negatives, "zero or positive");
        new ModelShape(1, hidden, layers, heads, maxLength);
    }

    /** A full softmax up to this many items (ml-100k's 1,682 included), a sampled one beyond: memory per step stays bounded. */
    static final int DEFAULT_NEGATIVES = 2048;

    public static SequentialParams defaults() {
        return new SequentialParams(64, 2, 2, 200, 0.3f, true, 0.2f, 1e-3f, 0.01f, 64, 300, 30, 1L, true, DEFAULT_NEGATIVES);
    }

    /** Whether the loss over a catalogue of {@code items} items is a sampled softmax. */
    public boolean sampled(int items) {
        return negatives > 0 && items > negatives;
    }

    public ModelShape shape(int items) {
        return new ModelShape(items, hidden, layers, heads, maxLength, causal);
    }

    private static void require(boolean ok, String name, Object value, String expectation) {
        if (ok == false) {
            throw new IllegalArgumentException(name + " must be " + expectation + ", got [" + value + "]");
        }
    }

    @Override
    public String toString() {
        return String.format(
            Locale.ROOT,
            "hidden=%d layers=%d heads=%d max_length=%d mask_probability=%s every_masked=%s dropout=%s learning_rate=%s weight_decay=%s batch_size=%d max_epochs=%d patience=%d seed=%d causal=%s negatives=%d",
            hidden,
            layers,
            heads,
            maxLength,
            maskProbability,
            everyMasked,
            dropout,
            learningRate,
            weightDecay,
            batchSize,
            maxEpochs,
            patience,
            seed,
            causal,
            negatives
        );
    }

    /** The {@link #defaults()}, to change by name. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** These parameters, to change by name. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Parameters set by name; {@link #build} checks them all at once. */
    public static final class Builder {
        private int hidden;
        private int layers;
        private int heads;
        private int maxLength;
        private float maskProbability;
        private boolean everyMasked;
        private float dropout;
        private float learningRate;
        private float weightDecay;
        private int batchSize;
        private int maxEpochs;
        private int patience;
        private long seed;
        private boolean causal;
        private int negatives;

        private Builder(SequentialParams p) {
            hidden = p.hidden;
            layers = p.layers;
            heads = p.heads;
            maxLength = p.maxLength;
            maskProbability = p.maskProbability;
            everyMasked = p.everyMasked;
            dropout = p.dropout;
            learningRate = p.learningRate;
            weightDecay = p.weightDecay;
            batchSize = p.batchSize;
            maxEpochs = p.maxEpochs;
            patience = p.patience;
            seed = p.seed;
            causal = p.causal;
            negatives = p.negatives;
        }

        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder heads(int v) {
            heads = v;
            return this;
        }

        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        public Builder maskProbability(float v) {
            maskProbability = v;
            return this;
        }

        public Builder everyMasked(boolean v) {
            everyMasked = v;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder maxEpochs(int v) {
            maxEpochs = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder causal(boolean v) {
            causal = v;
            return this;
        }

        public Builder negatives(int v) {
            negatives = v;
            return this;
        }

        public SequentialParams build() {
            return new SequentialParams(
                hidden,
                layers,
                heads,
                maxLength,
                maskProbability,
                everyMasked,
                dropout,
                learningRate,
                weightDecay,
                batchSize,
                maxEpochs,
                patience,
                seed,
                causal,
                negatives
            );
        }
    }
}

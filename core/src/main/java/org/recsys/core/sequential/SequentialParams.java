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

    /** A masked-item model with a full softmax. */
    public SequentialParams(
        int hidden, int layers, int heads, int maxLength, float maskProbability, boolean everyMasked, float dropout, float learningRate,
        float weightDecay, int batchSize, int maxEpochs, int patience, long seed
    ) {
        this(hidden, layers, heads, maxLength, maskProbability, everyMasked, dropout, learningRate, weightDecay, batchSize, maxEpochs, patience, seed, false, 0);
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
            hidden, layers, heads, maxLength, maskProbability, everyMasked, dropout, learningRate, weightDecay, batchSize, maxEpochs, patience, seed,
            causal, negatives
        );
    }
}

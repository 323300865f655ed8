package org.recsys.core.wals;

import it.unimi.dsi.fastutil.ints.Int2DoubleLinkedOpenHashMap;

/**
 * The factor of a row that is not in the model (a new user, or a user with newer interactions), solved exactly
 * from its interactions with the trained opposite factors held fixed: the same system as one row of training
 * ({@link RowSystem}), with the opposite side's Gram matrix computed once. Thread-safe.
 */
public final class FoldIn {

    private final float[] fixed;
    private final int n;
    private final int k;
    private final WalsParams params;
    private final float[] fixedWeights;
    private final float userWeightScale;
    private final float userLambdaScale;
    private final double[] regularisedGram;
    private final ThreadLocal<RowSystem> systems;

    /**
     * @param fixed        the opposite side's flat n×k factors
     * @param gram         their Gram matrix FᵀF (k×k, row-major)
     * @param fixedWeights the opposite side's training weights σ, or null
     * @param userWeightScale the training's scale of the user weights ({@link WalsModel#userWeightScale()})
     * @param userLambdaScale the training's scale of the users' λ ({@link WalsModel#userLambdaScale()})
     */
    public FoldIn(
        float[] fixed,
        int n,
        double[] gram,
        WalsParams params,
        float[] fixedWeights,
        float userWeightScale,
        float userLambdaScale
    ) {
        this.fixed = fixed;
        this.n = n;
        this.k = params.rank();
        this.params = params;
        this.fixedWeights = fixedWeights;
        this.userWeightScale = userWeightScale;
        this.userLambdaScale = userLambdaScale;
        this.regularisedGram = Gram.regularised(gram, k, params.w0(), params.lambda());
        this.systems = ThreadLocal.withInitial(() -> new RowSystem(k));
    }

    /** Folds in users against the model's item factors. */
    public static FoldIn users(WalsModel model) {
        int nItems = model.items().size();
        double[] gram = Gram.of(model.itemFactors(), 0, nItems, model.rank(), new ParallelRows());
        return new FoldIn(
            model.itemFactors(),
            nItems,
            gram,
            model.params(),
            model.itemWeights(),
            model.userWeightScale(),
            model.userLambdaScale()
        );
    }

    /** The Gram matrix of the opposite factors, YᵀY without w0 or λ: what a model store keeps for fold-in. */
    public static double[] gram(float[] factors, int n, int k) {
        return Gram.of(factors, 0, n, k, new ParallelRows());
    }

    /**
     * The factor for interactions with opposite rows {@code indices[0..length)} of raw weights {@code weights}
     * (repeated indices are summed, as training does).
     */
    public float[] solve(int[] indices, float[] weights, int length) {
        Int2DoubleLinkedOpenHashMap merged = new Int2DoubleLinkedOpenHashMap(length);
        for (int j = 0; j < length; j++) {
            int index = indices[j];
            if (index < 0 || index >= n) {
                throw new IllegalArgumentException("index [" + index + "] is outside the model's [" + n + "] rows");
            }
            float w = weights[j];
            if (Float.isFinite(w) == false || w < 0) {
                throw new IllegalArgumentException("weight [" + w + "] of index [" + index + "] must be finite and >= 0");
            }
            merged.addTo(index, w);
        }
        int m = merged.size();
        int[] cols = new int[m];
        float[] extra = new float[m];
        float rho = WalsTrainer.userWeight(m, params.userWeightExponent(), userWeightScale);
        int j = 0;
        for (var entry : merged.int2DoubleEntrySet()) {
            cols[j] = entry.getIntKey();
            float sigma = fixedWeights == null ? 1f : fixedWeights[cols[j]];
            extra[j] = rho * sigma * params.confidence().extra((float) entry.getDoubleValue(), params.alpha(), params.epsilon());
            j++;
        }
        float[] out = new float[k];
        float shift = WalsTrainer.userLambdaShift(m, params, userLambdaScale);
        systems.get().solveExact(regularisedGram, shift, fixed, 0, cols, extra, 0, m, params.w0(), out, 0);
        return out;
    }
}

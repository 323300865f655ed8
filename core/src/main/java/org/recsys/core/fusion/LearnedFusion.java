package org.recsys.core.fusion;

import org.recsys.core.data.Csr;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.tuning.ValidationSplit;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

/**
 * Fits the learned fusion the way it will be used: a WALS model trained on the older part of each user's history
 * (so the collaborative score has not seen the positives) ranks each user's {@code window} candidates, the held-out
 * recent items are the relevant ones, and a {@link FusionTrainer} learns to reorder them. A fraction of the users'
 * lists is kept aside for validation; its NDCG@k is the stored metric.
 */
public final class LearnedFusion {

    /** How the examples are made and split, and how the network is trained. */
    public record Params(int window, int k, double validationFraction, FusionTrainer.Params trainer) {
        public static Params defaults() {
            return new Params(100, 10, 0.1, FusionTrainer.Params.defaults());
        }
    }

    /** The trainer's result with the example counts. */
    public record Result(
        FusionTrainer.Result fit,
        int trainingLists,
        int validationLists,
        CandidateLists training,
        CandidateLists validation,
        int k
    ) {

        /** Standard errors by which the network must beat the first phase to be served (one-sided, about 98%). */
        public static final double MARGIN = 2.0;

        /**
         * Whether the network beat the first phase's order on the validation lists by more than chance: the mean of
         * the per-list NDCG differences exceeds {@link #MARGIN} standard errors. Validation lists are few (a tenth of
         * the users) and also chose the best epoch, so a bare "higher" would often pick a network that loses on new
         * users.
         */
        public boolean beatsFirstPhase() {
            return validation.gain(fit.net(), WeightedSum.collaborativeOnly(), k).above(MARGIN);
        }

        /**
         * What to serve: the network when it beat the first phase on validation, else the collaborative order itself
         * (the first phase's), so that a fusion chosen on held-out data is never expected to do worse than no fusion.
         */
        public FusionNet chosen() {
            return beatsFirstPhase() ? fit.net() : FusionNet.identity(FusionFeature.COLLABORATIVE);
        }
    }

    private LearnedFusion() {}

    /**
     * Fits on one interaction matrix as a node holds it: {@code round(holdout · n)} of each user's n distinct items
     * (none of a user with one) are held out at random, seeded by the trainer's seed ({@link ValidationSplit}), and
     * the rest is the older part.
     *
     * @param itemTexts text vector per item of {@code full} (null entries allowed), or null
     */
    public static Result fit(
        InteractionMatrix full,
        double holdout,
        float[][] itemTexts,
        WalsParams wals,
        Params params,
        Workers workers,
        FusionTrainer.EpochListener listener
    ) {
        if ((holdout > 0 && holdout < 1) == false) {
            throw new IllegalArgumentException("[holdout] is [" + holdout + "]; it must be a fraction between 0 and 1 (exclusive)");
        }
        ValidationSplit split = ValidationSplit.carve(full, null, holdout, params.trainer().seed());
        int[] heldOutTotal = new int[full.users().size()];
        for (int u = 0; u < heldOutTotal.length; u++) {
            heldOutTotal[u] = split.heldOut().rowLength(u);
        }
        return fit(split.fit(), split.heldOut(), heldOutTotal, itemTexts, wals, params, workers, listener);
    }

    /**
     * @param older        the older part of the interactions
     * @param heldOut      the recent part, built over the same id indexes as {@code older} (so holding known ids only)
     * @param heldOutTotal per user of {@code older}: the number of their held-out items, known to the model or not
     * @param itemTexts    text vector per item of {@code older} (null entries allowed), or null
     */
    public static Result fit(
        InteractionMatrix older,
        Csr heldOut,
        int[] heldOutTotal,
        float[][] itemTexts,
        WalsParams wals,
        Params params,
        Workers workers,
        FusionTrainer.EpochListener listener
    ) {
        WalsModel model = new WalsTrainer(wals).computeLoss(false).runOn(workers).train(older);
        CandidateLists all = new CandidateFeatures(model, older.byUser(), itemTexts).lists(heldOut, heldOutTotal, params.window());
        CandidateLists[] split = all.split(params.validationFraction(), params.trainer().seed());
        if (split[0].lists() == 0 || split[1].lists() == 0) {
            throw new IllegalArgumentException(
                "too few users with held-out interactions to train and validate a fusion (" + all.lists() + " users); more users are needed"
            );
        }
        FusionTrainer.Result fit = new FusionTrainer(params.trainer()).train(split[0], split[1], params.k(), listener);
        return new Result(fit, split[0].lists(), split[1].lists(), split[0], split[1], params.k());
    }
}

package org.recsys.core.fusion;

import org.recsys.core.data.Csr;
import org.recsys.core.data.IdIndex;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.core.tuning.ValidationSplit;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The learned fusion of a mixed catalogue, where new items without interactions must be ranked among trained ones
 * (protocol P5). Their factors are projected from their text ({@link HybridCatalogue}), on a scale of their own, so
 * the network is taught where such items belong by a carve-out that makes some of its own: a share of each user's
 * interactions is held out at random, the items left without any become pseudo-cold (rare new arrivals), and so do,
 * when the catalogue has more new arrivals than that explains, a uniform sample of the others (every interaction with
 * them held out). WALS trains on the rest, the projection places the pseudo-cold items, each user's
 * candidates are the window plus the reserved projected items, and the held-out items of both kinds are the relevant
 * ones; a quarter of the users validate. The validation lists are also labelled by part, so that the warm and the cold
 * NDCG of any fusion can be read apart.
 */
public final class HybridFusion {

    /**
     * The share of users that validate: a quarter rather than {@link LearnedFusion}'s tenth, since the fusion is served
     * only when it beats the WALS order there by two standard errors, and cold items make the lists noisier.
     */
    static final double VALIDATION = 0.25;

    /** Offsets on the network's output for projected items, tried from none to enough to keep every one out. */
    static final double[] OFFSETS = { 0, -0.25, -0.5, -0.75, -1, -1.5, -2, -3, -5 };

    /** {@link Params#coldFraction} that makes as many pseudo-cold items, in share, as the catalogue has new arrivals. */
    public static final double NEW_ARRIVALS = 0;

    /** What the network reads by default: every feature but the first phase's score (here the collaborative one). */
    public static final FusionFeature[] FEATURES =
        { FusionFeature.COLLABORATIVE, FusionFeature.CONTENT, FusionFeature.POPULARITY, FusionFeature.PROJECTED };

    /**
     * @param coldFraction share of the items with a text vector that are to be pseudo-cold, the rare ones the holdout
     *                     makes included; 0 for the catalogue's own share of new arrivals ({@link #NEW_ARRIVALS}), so
     *                     that the validation values the two parts as they will be served
     * @param holdout      share of each user's interactions held out
     * @param reserved     projected items that join each user's window
     * @param warmFloor    the share of the WALS order's warm NDCG that the served fusion must keep on validation
     */
    public record Params(
        double coldFraction,
        double holdout,
        int reserved,
        double warmFloor,
        ProjectionParams projection,
        LearnedFusion.Params fusion
    ) {

        public Params {
            if ((coldFraction >= 0 && coldFraction < 1) == false) {
                throw new IllegalArgumentException(
                    "[cold_fraction] is ["
                        + coldFraction
                        + "]; it must be a fraction between 0 (the catalogue's share of new arrivals) and 1 (exclusive)"
                );
            }
            if ((holdout > 0 && holdout < 1) == false) {
                throw new IllegalArgumentException("[holdout] is [" + holdout + "]; it must be a fraction between 0 and 1 (exclusive)");
            }
            if (reserved < 0) {
                throw new IllegalArgumentException("[reserved] is [" + reserved + "]; it must be >= 0");
            }
            if ((warmFloor >= 0 && warmFloor <= 1) == false) {
                throw new IllegalArgumentException("[warm_floor] is [" + warmFloor + "]; it must be between 0 and 1");
            }
        }

        /** P5's shape: a tenth of the items new, a fifth of the rest held out. */
        public static Params defaults() {
            LearnedFusion.Params f = LearnedFusion.Params.defaults();
            FusionTrainer.Params t = f.trainer();
            FusionTrainer.Params trainer =
                new FusionTrainer.Params(FEATURES, t.hidden(), t.epochs(), t.learningRate(), t.negatives(), t.batch(), t.seed());
            return new Params(
                NEW_ARRIVALS,
                0.2,
                0,
                0.9,
                ProjectionParams.defaults(),
                new LearnedFusion.Params(f.window(), f.k(), VALIDATION, trainer)
            );
        }

        public Params withReserved(int r) {
            return new Params(coldFraction, holdout, r, warmFloor, projection, fusion);
        }
    }

    /**
     * The fit, and the validation lists labelled by the warm and by the cold held-out items alone. The network is served
     * when, on validation, it is not worse than the WALS order overall beyond noise and better on the new items beyond
     * noise ({@link LearnedFusion.Result#MARGIN} standard errors both): placing new arrivals is what a hybrid is for,
     * so it need not also beat WALS on the known items, where the WALS order is already the reference; a bare "beats
     * overall by two standard errors" asked the cold part's gain, a third of the held-out items on a quarter of the
     * users, to show through the known items' noise.
     */
    public record Result(
        LearnedFusion.Result fit,
        double offset,
        CandidateLists validationWarm,
        CandidateLists validationCold,
        int pseudoColdItems
    ) {

        /** The network's NDCG@k gain over the WALS order on the validation lists: all held-out items, known, new. */
        public CandidateLists.Gain overallGain() {
            return fit.validation().gain(fit.fit().net(), WeightedSum.collaborativeOnly(), fit.k());
        }

        public CandidateLists.Gain coldGain() {
            return validationCold.gain(fit.fit().net(), WeightedSum.collaborativeOnly(), fit.k());
        }

        public boolean servesNetwork() {
            return overallGain().notBelow(LearnedFusion.Result.MARGIN) && coldGain().above(LearnedFusion.Result.MARGIN);
        }

        /** The network when {@link #servesNetwork}, else the WALS order. */
        public FusionNet chosen() {
            return servesNetwork() ? fit.fit().net() : FusionNet.identity(FusionFeature.COLLABORATIVE);
        }

        public double warmNdcg(Fusion fusion) {
            return validationWarm.ndcg(fusion, fit.k());
        }

        public double coldNdcg(Fusion fusion) {
            return validationCold.ndcg(fusion, fit.k());
        }

        public double allNdcg(Fusion fusion) {
            return fit.validation().ndcg(fusion, fit.k());
        }
    }

    /** The carve-out, trained once; {@link #fit} then tries fusion settings on it. */
    public static final class CarveOut {
        private final WalsModel model;
        private final InteractionMatrix older;
        private final HybridCatalogue catalogue;
        private final Csr[] heldOut;
        private final int[][] heldOutTotal;
        private final int pseudoCold;

        private CarveOut(
            WalsModel model,
            InteractionMatrix older,
            HybridCatalogue catalogue,
            Csr[] heldOut,
            int[][] heldOutTotal,
            int pseudoCold
        ) {
            this.model = model;
            this.older = older;
            this.catalogue = catalogue;
            this.heldOut = heldOut;
            this.heldOutTotal = heldOutTotal;
            this.pseudoCold = pseudoCold;
        }

        /** Candidate lists with {@code params.reserved()} projected items per user, a network trained on them. */
        public Result fit(Params params, FusionTrainer.EpochListener listener) {
            LearnedFusion.Params f = params.fusion();
            CandidateFeatures candidates = catalogue.candidates(model, older.byUser(), params.reserved());
            CandidateLists[] lists = candidates.lists(heldOut, heldOutTotal, f.window());
            long seed = f.trainer().seed();
            CandidateLists[] all = lists[0].split(f.validationFraction(), seed);
            CandidateLists warm = lists[1].split(f.validationFraction(), seed)[1];
            CandidateLists cold = lists[2].split(f.validationFraction(), seed)[1];
            if (all[0].lists() == 0 || all[1].lists() == 0) {
                throw new IllegalArgumentException(
                    "too few users with held-out interactions to train and validate a fusion ("
                        + lists[0].lists()
                        + " users); more users are needed"
                );
            }
            FusionTrainer.Result trained = new FusionTrainer(f.trainer()).train(all[0], all[1], f.k(), listener);
            // The pseudo-cold items are a sample of the known ones, so how far they are trusted does not carry over to
            // real new arrivals one to one; the offset on projected items keeps the known items' ranking within the floor.
            double floor = params.warmFloor() * warm.ndcg(WeightedSum.collaborativeOnly(), f.k());
            FusionNet guarded = null;
            double offset = 0;
            double guardedNdcg = Double.NEGATIVE_INFINITY;
            for (double o : OFFSETS) {
                FusionNet net = trained.net().withOffset(FusionFeature.PROJECTED, o);
                double ndcg = all[1].ndcg(net, f.k());
                if (warm.ndcg(net, f.k()) >= floor && ndcg > guardedNdcg) {
                    guarded = net;
                    offset = o;
                    guardedNdcg = ndcg;
                }
            }
            if (guarded == null) {
                // Not even without new items does the network keep the known items' ranking: the WALS order is served.
                guarded = FusionNet.identity(FusionFeature.COLLABORATIVE);
                guardedNdcg = all[1].ndcg(guarded, f.k());
            }
            FusionTrainer.Result fit =
                new FusionTrainer.Result(guarded, guardedNdcg, trained.firstPhaseNdcg(), trained.bestEpoch(), trained.pairsPerEpoch());
            return new Result(
                new LearnedFusion.Result(fit, all[0].lists(), all[1].lists(), all[0], all[1], f.k()),
                offset,
                warm,
                cold,
                pseudoCold
            );
        }
    }

    private HybridFusion() {}

    /**
     * Makes the carve-out of {@code full} and trains its WALS model and projection.
     *
     * @param texts text vectors by item id; only those of {@code full}'s items are used (an item without interactions in
     *              {@code full} has nothing to be relevant by)
     */
    public static CarveOut carveOut(InteractionMatrix full, Map<String, float[]> texts, WalsParams wals, Params params, Workers workers) {
        Random random = new Random(params.fusion().trainer().seed());
        IdIndex items = full.items();
        List<Integer> withText = new ArrayList<>();
        Map<String, float[]> known = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            float[] text = texts.get(items.id(i));
            if (text != null) {
                withText.add(i);
                known.put(items.id(i), text);
            }
        }
        // A share of each user's interactions is held out first, as the protocol's test was: the items it leaves
        // without any are new arrivals of the kind the catalogue has because they are rarely chosen (P1's 36, say).
        Csr byUser = full.byUser();
        boolean[] held = ValidationSplit.heldEntries(byUser, null, params.holdout(), random);
        int[] kept = new int[items.size()];
        for (int e = 0; e < held.length; e++) {
            kept[byUser.columns()[e]] += held[e] ? 0 : 1;
        }
        // Then the new arrivals the holdout does not explain: the catalogue's share of them beyond the items the holdout
        // left without interactions and beyond that count's noise (a sum of coin flips, so two standard deviations are
        // 2√count), a uniform sample of the known items (arrivals that are new, not rare), every interaction held out.
        // P1's new items are all explained (its few uniform ones made the network bold with new arrivals that are rare);
        // P5's 155 mostly are not.
        double fraction =
            params.coldFraction() == NEW_ARRIVALS ? (texts.size() - withText.size()) / (double) texts.size() : params.coldFraction();
        boolean[] cold = new boolean[items.size()];
        int rare = 0;
        for (int i : withText) {
            if (kept[i] == 0) {
                cold[i] = true;
                rare++;
            }
        }
        int pseudoCold = rare;
        int target = rare + (int) Math.max(0, Math.round(fraction * withText.size() - rare - 2 * Math.sqrt(rare)));
        java.util.Collections.shuffle(withText, random);
        for (int p = 0; p < withText.size() && pseudoCold < target; p++) {
            if (cold[withText.get(p)] == false) {
                cold[withText.get(p)] = true;
                pseudoCold++;
            }
        }

        InteractionMatrix.Builder olderRows = new InteractionMatrix.Builder();
        List<String[]> heldWarm = new ArrayList<>();
        List<String[]> heldCold = new ArrayList<>();
        for (int u = 0; u < full.users().size(); u++) {
            String user = full.users().id(u);
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                int item = byUser.columns()[e];
                if (cold[item]) {
                    heldCold.add(new String[]{ user, items.id(item) });
                } else if (held[e]) {
                    heldWarm.add(new String[]{ user, items.id(item) });
                } else {
                    olderRows.add(user, items.id(item), byUser.values()[e]);
                }
            }
        }
        InteractionMatrix older = olderRows.build();
        WalsModel model = new WalsTrainer(wals).computeLoss(false).runOn(workers).train(older);
        HybridCatalogue catalogue = HybridCatalogue.place(model, older.byItem(), known, params.projection());

        int users = older.users().size();
        int[][] totals = new int[3][users];
        InteractionMatrix.Builder[] sets = new InteractionMatrix.Builder[3];
        for (int s = 0; s < 3; s++) {
            sets[s] = new InteractionMatrix.Builder(older.users(), catalogue.items());
        }
        for (int part = 1; part <= 2; part++) {
            for (String[] row : part == 1 ? heldWarm : heldCold) {
                int u = older.users().indexOf(row[0]);
                if (u < 0) {
                    continue;
                }
                totals[0][u]++;
                totals[part][u]++;
                if (catalogue.items().indexOf(row[1]) >= 0) {
                    sets[0].add(row[0], row[1], 1f);
                    sets[part].add(row[0], row[1], 1f);
                }
            }
        }
        Csr[] heldOut = new Csr[3];
        for (int s = 0; s < 3; s++) {
            heldOut[s] = sets[s].build().byUser();
        }
        return new CarveOut(model, older, catalogue, heldOut, totals, pseudoCold);
    }
}

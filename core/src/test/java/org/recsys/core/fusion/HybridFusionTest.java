package org.recsys.core.fusion;

import org.junit.jupiter.api.Test;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridFusionTest {

    private static final int TOPICS = 4;
    private static final int PER_TOPIC = 30;
    private static final WalsParams WALS = WalsParams.builder().rank(8).iterations(6).lambda(1f).cgSteps(3).threads(1).seed(1L).build();

    /** Users of one topic each; items i0..i119 in four topics, of which every tenth has no interaction (new). */
    private static InteractionMatrix interactions() {
        Random random = new Random(5);
        InteractionMatrix.Builder b = new InteractionMatrix.Builder();
        for (int u = 0; u < 200; u++) {
            int topic = u % TOPICS;
            for (int j = 0; j < 12; j++) {
                int item = topic * PER_TOPIC + random.nextInt(PER_TOPIC);
                if (item % 10 != 0) {
                    b.add("u" + u, "i" + item, 1f);
                }
            }
        }
        return b.build();
    }

    /** A text vector per item: its topic's axis plus a little noise, unit length. */
    private static Map<String, float[]> texts() {
        Random random = new Random(9);
        Map<String, float[]> out = new HashMap<>();
        for (int i = 0; i < TOPICS * PER_TOPIC; i++) {
            float[] v = new float[TOPICS + 2];
            v[i / PER_TOPIC] = 1;
            for (int d = 0; d < v.length; d++) {
                v[d] += (float) (random.nextGaussian() * 0.1);
            }
            out.put("i" + i, FusionFeatures.unit(v));
        }
        return out;
    }

    @Test
    void catalogueProjectsTheItemsTheModelLacksAfterItsOwn() {
        InteractionMatrix m = interactions();
        WalsModel model = new WalsTrainer(WALS).train(m);
        HybridCatalogue catalogue = HybridCatalogue.place(model, m.byItem(), texts(), ProjectionParams.defaults());
        assertEquals(TOPICS * PER_TOPIC, catalogue.size());
        assertEquals(model.items().size(), catalogue.trained());
        for (int i = 0; i < catalogue.trained(); i++) {
            assertEquals(model.items().id(i), catalogue.items().id(i));
        }
        for (int p = catalogue.trained(); p < catalogue.size(); p++) {
            String id = catalogue.items().id(p);
            assertEquals(0, Integer.parseInt(id.substring(1)) % 10, id + " is not a new item");
            float[] projected = java.util.Arrays
                .copyOfRange(catalogue.projectedFactors(), (p - catalogue.trained()) * 8, (p - catalogue.trained() + 1) * 8);
            assertArrayEquals(catalogue.projection().project(catalogue.texts()[p]), projected, 0f);
        }
    }

    /**
     * The reserved share adds the best projected items to the window (once each), flagged as projected, with
     * popularity 0; a user's own items are never candidates.
     */
    @Test
    void reservedCandidatesAreTheBestProjectedItemsOutsideTheWindow() {
        InteractionMatrix m = interactions();
        WalsModel model = new WalsTrainer(WALS).train(m);
        HybridCatalogue catalogue = HybridCatalogue.place(model, m.byItem(), texts(), ProjectionParams.defaults());
        CandidateFeatures none = catalogue.candidates(model, m.byUser(), 0);
        CandidateFeatures five = catalogue.candidates(model, m.byUser(), 5);
        int window = 10;
        for (int u = 0; u < 20; u++) {
            CandidateFeatures.Candidates a = none.forUser(u, window);
            CandidateFeatures.Candidates b = five.forUser(u, window);
            assertArrayEquals(a.items(), java.util.Arrays.copyOf(b.items(), window));
            java.util.Set<Integer> union = new java.util.HashSet<>();
            for (int c = 0; c < window; c++) {
                union.add(b.items()[c]);
            }
            HybridCatalogue only = catalogue;
            float[] user = java.util.Arrays.copyOfRange(model.userFactors(), u * 8, u * 8 + 8);
            org.recsys.core.topk.TopK.Result best =
                org.recsys.core.topk.TopK.dotProduct(user, 0, only.projectedFactors(), only.size() - only.trained(), 8, 5, null);
            for (int p : best.indices()) {
                union.add(only.trained() + p);
            }
            for (int c = 0; c < b.items().length; c++) {
                boolean projected = b.items()[c] >= catalogue.trained();
                assertTrue(union.contains(b.items()[c]));
                assertEquals(projected ? 1d : 0d, b.features()[c * FusionFeature.COUNT + FusionFeature.PROJECTED.ordinal()], 0);
                if (projected) {
                    assertEquals(0d, b.features()[c * FusionFeature.COUNT + FusionFeature.POPULARITY.ordinal()], 0);
                }
                for (int e = m.byUser().start(u); e < m.byUser().end(u); e++) {
                    assertTrue(m.byUser().columns()[e] != b.items()[c], "a seen item is a candidate");
                }
            }
            assertEquals(union.size(), b.items().length);
        }
    }

    /**
     * The carve-out holds pseudo-cold items out, labels the validation users' lists by part, and serves a network whose
     * offset keeps the known items' NDCG above the floor; the same seed gives the same network.
     */
    @Test
    void carveOutTeachesWhereNewItemsBelong() {
        InteractionMatrix m = interactions();
        HybridFusion.Params d = HybridFusion.Params.defaults();
        FusionTrainer.Params t = d.fusion().trainer();
        FusionTrainer.Params trainer = new FusionTrainer.Params(t.inputs(), 16, 10, 1e-2, 4, 64, 7);
        HybridFusion.Params params =
            new HybridFusion.Params(0.15, 0.2, 5, 0.9, d.projection(), new LearnedFusion.Params(30, 10, 0.25, trainer));
        HybridFusion.CarveOut carveOut = HybridFusion.carveOut(m, texts(), WALS, params, Workers.offline());
        HybridFusion.Result r = carveOut.fit(params, null);
        FusionNet net = r.fit().fit().net();
        Fusion wals = WeightedSum.collaborativeOnly();
        assertTrue(r.pseudoColdItems() > 0);
        assertTrue(r.validationCold().lists() > 0);
        assertEquals(r.fit().validation().lists(), r.validationWarm().lists());
        assertTrue(
            r.warmNdcg(net) >= 0.9 * r.warmNdcg(wals) - 1e-12,
            "warm: learned " + r.warmNdcg(net) + ", WALS order " + r.warmNdcg(wals)
        );
        assertArrayEquals(net.toFloats(), carveOut.fit(params, null).fit().fit().net().toFloats());
        // Served: the network when it is not worse overall and better on the pseudo-cold items, each beyond noise.
        assertEquals(
            r.overallGain().notBelow(LearnedFusion.Result.MARGIN) && r.coldGain().above(LearnedFusion.Result.MARGIN),
            r.servesNetwork()
        );
        assertArrayEquals((r.servesNetwork() ? net : FusionNet.identity(FusionFeature.COLLABORATIVE)).toFloats(), r.chosen().toFloats());
        assertThrows(IllegalArgumentException.class, () -> new HybridFusion.Params(1, 0.2, 5, 0.9, d.projection(), d.fusion()));
        // By default the carve-out makes as many pseudo-cold items, in share, as the catalogue has new ones (a tenth here).
        HybridFusion.Params byCatalogue = new HybridFusion.Params(HybridFusion.NEW_ARRIVALS, 0.2, 5, 0.9, d.projection(), params.fusion());
        int known = m.items().size();
        int expected = (int) Math.round((texts().size() - known) / (double) texts().size() * known);
        assertTrue(expected > 0 && expected != Math.round(0.15 * known));
        assertEquals(
            expected,
            HybridFusion.carveOut(m, texts(), WALS, byCatalogue, Workers.offline()).fit(byCatalogue, null).pseudoColdItems()
        );
    }
    /**
     * The holdout comes first, so the items it leaves without any interaction (here rarely chosen ones: thirty items of
     * one interaction each) are pseudo-cold whatever the share asks, as the catalogue's rare new arrivals are; only the
     * rest of the share is sampled.
     */
    @Test
    void itemsTheHoldoutLeavesWithoutInteractionsArePseudoCold() {
        InteractionMatrix.Builder b = new InteractionMatrix.Builder();
        InteractionMatrix base = interactions();
        for (int u = 0; u < base.users().size(); u++) {
            for (int e = base.byUser().start(u); e < base.byUser().end(u); e++) {
                b.add(base.users().id(u), base.items().id(base.byUser().columns()[e]), 1f);
            }
        }
        Map<String, float[]> texts = texts();
        for (int s = 0; s < 30; s++) {
            b.add("u" + s, "rare" + s, 1f);
            texts.put("rare" + s, texts.get("i" + (s % TOPICS) * PER_TOPIC));
        }
        InteractionMatrix m = b.build();
        HybridFusion.Params d = HybridFusion.Params.defaults();
        FusionTrainer.Params t = d.fusion().trainer();
        FusionTrainer.Params trainer = new FusionTrainer.Params(t.inputs(), 16, 2, 1e-2, 4, 64, 7);
        HybridFusion.Params params =
            new HybridFusion.Params(0.01, 0.2, 5, 0.9, d.projection(), new LearnedFusion.Params(30, 10, 0.25, trainer));
        int sampled = (int) Math.round(0.01 * m.items().size());
        int pseudoCold = HybridFusion.carveOut(m, texts, WALS, params, Workers.offline()).fit(params, null).pseudoColdItems();
        // About a fifth of the thirty lose their one interaction to the holdout.
        assertTrue(pseudoCold > sampled && pseudoCold <= 30, pseudoCold + " pseudo-cold items, " + sampled + " asked by the share");
    }

    /** New items' factors given from elsewhere (a fine-tuned encoder) replace the projected ones; each must be given. */
    @Test
    void newItemFactorsCanBeGiven() {
        InteractionMatrix m = interactions();
        WalsModel model = new WalsTrainer(WALS).train(m);
        HybridCatalogue catalogue = HybridCatalogue.place(model, m.byItem(), texts(), ProjectionParams.defaults());
        Map<String, float[]> given = new HashMap<>();
        for (int p = catalogue.trained(); p < catalogue.size(); p++) {
            float[] f = new float[8];
            f[p % 8] = p;
            given.put(catalogue.items().id(p), f);
        }
        HybridCatalogue withGiven = catalogue.withNewItemFactors(given);
        for (int p = catalogue.trained(); p < catalogue.size(); p++) {
            int at = (p - catalogue.trained()) * 8;
            assertArrayEquals(given.get(catalogue.items().id(p)), Arrays.copyOfRange(withGiven.projectedFactors(), at, at + 8));
        }
        given.remove(catalogue.items().id(catalogue.trained()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalogue.withNewItemFactors(given));
        assertTrue(e.getMessage().contains(catalogue.items().id(catalogue.trained())), e.getMessage());
    }

}

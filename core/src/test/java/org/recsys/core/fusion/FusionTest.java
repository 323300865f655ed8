package org.recsys.core.fusion;

import org.junit.jupiter.api.Test;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsParams;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusionTest {

    @Test
    void nonNegativeIsPositiveStrictlyIncreasingAndContinuousAtZero() {
        double previous = 0;
        for (double x = -50; x <= 50; x += 0.25) {
            double s = FusionFeatures.nonNegative(x);
            assertTrue(s > 0, "score of " + x);
            assertTrue(s > previous, "increasing at " + x);
            previous = s;
        }
        assertEquals(1d, FusionFeatures.nonNegative(0), 0);
        assertEquals(1d, FusionFeatures.nonNegative(-1e-9), 1e-8);
        assertEquals(3.5d, FusionFeatures.nonNegative(2.5), 0);
    }

    @Test
    void contentProfileIsTheUnitMeanAndContentACosine() {
        float[] profile = FusionFeatures.contentProfile(List.of(new float[]{ 1, 0 }, new float[]{ 0, 1 }));
        assertArrayEquals(new float[]{ (float) Math.sqrt(0.5), (float) Math.sqrt(0.5) }, profile, 1e-6f);
        assertEquals(1d, FusionFeatures.content(profile, new float[]{ 3, 3 }), 1e-6);
        assertEquals(0d, FusionFeatures.content(null, new float[]{ 3, 3 }), 0);
        assertNull(FusionFeatures.contentProfile(List.of()));
        assertNull(FusionFeatures.contentProfile(List.of(new float[]{ 1, 0 }, new float[]{ -1, 0 })));
        assertEquals(Math.log(11), FusionFeatures.popularity(10), 1e-12);
    }

    @Test
    void weightedSumChecksItsLengthAndExplainsItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WeightedSum(new double[]{ 1, 2, 3, 4, 5, 6 }));
        assertTrue(e.getMessage().contains("[weights] has 6 numbers; expected 1 to 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WeightedSum(new double[0]));
        // Four weights, as written before [projected] was a feature: it weighs 0.
        WeightedSum sum = new WeightedSum(new double[]{ 1, 0.5, -0.1, 2 });
        double[] features = { 0.8, 0.4, 3, 1.5, 1 };
        assertEquals(0.8 + 0.2 - 0.3 + 3, sum.raw(features), 1e-12);
        double[] parts = new double[5];
        sum.contributions(features, parts);
        assertArrayEquals(new double[]{ 0.8, 0.2, -0.3, 3, 0 }, parts, 1e-12);
        assertEquals(false, sum.reads(FusionFeature.PROJECTED));
    }

    @Test
    void netRoundTripsThroughFloatsAndFoldsStandardisation() {
        int[] inputs = { 0, 2 };
        float[] w1 = { 1, -1, 0.5f, 2 };
        FusionNet net = new FusionNet(
            inputs,
            new double[]{ 1, 2 },
            new double[]{ 2, 4 },
            w1,
            new float[]{ 0.1f, -0.2f },
            new float[]{ 1, -0.5f },
            0.3f
        );
        double[] features = { 3, 99, 6, 99 };
        // By hand on standardised inputs z = ((3-1)/2, (6-2)/4) = (1, 1): hidden relu(1-1+0.1)=0.1, relu(0.5+2-0.2)=2.3.
        assertEquals(0.3 + 0.1 - 0.5 * 2.3, net.raw(features), 1e-6);
        FusionNet copy = FusionNet.fromFloats(net.toFloats());
        assertEquals(net.raw(features), copy.raw(features), 1e-9);
        assertArrayEquals(inputs, copy.inputs());
        double[] parts = new double[4];
        net.contributions(features, parts);
        assertEquals(0d, parts[1], 0);
        assertEquals(0d, parts[3], 0);
        assertEquals(net.raw(features) - net.raw(new double[]{ 1, 99, 6, 99 }), parts[0], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> FusionNet.fromFloats(new float[]{ 2, 1, 1 }));
    }

    /** Dense → ReLU → Dense as written, for widths that are and are not a multiple of the units scored together. */
    @Test
    void netIsDenseReluDenseAtAnyWidth() {
        Random random = new Random(11);
        int[] inputs = { 4, 0, 2 };
        for (int hidden : new int[]{ 1, 2, 3, 4, 5, 7, 8, 9, 130 }) {
            double[] mean = new double[inputs.length];
            double[] std = new double[inputs.length];
            float[] w1 = new float[hidden * inputs.length];
            float[] b1 = new float[hidden];
            float[] w2 = new float[hidden];
            for (int i = 0; i < inputs.length; i++) {
                mean[i] = random.nextGaussian();
                std[i] = 0.5 + random.nextDouble();
            }
            for (int j = 0; j < hidden; j++) {
                b1[j] = (float) random.nextGaussian();
                w2[j] = (float) random.nextGaussian();
                for (int i = 0; i < inputs.length; i++) {
                    w1[j * inputs.length + i] = (float) random.nextGaussian();
                }
            }
            float b2 = (float) random.nextGaussian();
            FusionNet net = new FusionNet(inputs, mean, std, w1, b1, w2, b2);
            for (int row = 0; row < 20; row++) {
                double[] features = new double[5];
                for (int f = 0; f < features.length; f++) {
                    features[f] = 3 * random.nextGaussian();
                }
                double expected = b2;
                for (int j = 0; j < hidden; j++) {
                    double a = b1[j];
                    for (int i = 0; i < inputs.length; i++) {
                        a += w1[j * inputs.length + i] * (features[inputs[i]] - mean[i]) / std[i];
                    }
                    expected += w2[j] * Math.max(a, 0);
                }
                assertEquals(expected, net.raw(features), 1e-9, "hidden " + hidden);
            }
        }
    }

    /**
     * Lists where relevance follows the content feature while the collaborative score is noise: the network must
     * learn to beat the first-phase order on held-out lists, by a wide margin.
     */
    @Test
    void trainerLearnsWhatTheFirstPhaseMisses() {
        CandidateLists lists = synthetic(400, 30, new Random(3));
        CandidateLists[] split = lists.split(0.25, 1);
        FusionTrainer.Params defaults = FusionTrainer.Params.defaults();
        FusionTrainer.Params params = new FusionTrainer.Params(defaults.inputs(), 16, 8, 1e-2, 4, 64, 7);
        FusionTrainer.Result result = new FusionTrainer(params).train(split[0], split[1], 10, null);
        assertTrue(result.firstPhaseNdcg() < 0.5, "first phase " + result.firstPhaseNdcg());
        assertTrue(result.validationNdcg() > 0.8, "learned " + result.validationNdcg());
        assertEquals(result.validationNdcg(), split[1].ndcg(result.net(), 10), 1e-12);
    }

    /**
     * The matrix form holds out the asked share of each user's items (none of a user with one item), trains on the
     * rest, and gives the same network for the same seed.
     */
    @Test
    void fitsOnAMatrixByHoldingOutEachUsersShare() {
        Random random = new Random(5);
        InteractionMatrix.Builder b = new InteractionMatrix.Builder();
        for (int u = 0; u < 120; u++) {
            int topic = u % 4;
            for (int j = 0; j < 10; j++) {
                b.add("u" + u, "i" + (topic * 20 + random.nextInt(20)), 1f);
            }
        }
        b.add("single", "i0", 1f);
        InteractionMatrix m = b.build();
        float[][] texts = new float[m.items().size()][];
        for (int i = 0; i < texts.length; i++) {
            int topic = Integer.parseInt(m.items().id(i).substring(1)) / 20;
            texts[i] = new float[]{ topic == 0 ? 1 : 0, topic == 1 ? 1 : 0, topic == 2 ? 1 : 0, topic == 3 ? 1 : 0 };
        }
        WalsParams wals = WalsParams.builder().rank(4).iterations(3).lambda(1f).cgSteps(3).threads(1).seed(1L).build();
        FusionTrainer.Params t = new FusionTrainer.Params(FusionTrainer.Params.defaults().inputs(), 8, 3, 1e-2, 2, 64, 7);
        LearnedFusion.Params params = new LearnedFusion.Params(20, 5, 0.2, t);
        LearnedFusion.Result a = LearnedFusion.fit(m, 0.2, texts, wals, params, Workers.offline(), null);
        int withHeldOut = 0;
        for (int u = 0; u < m.users().size(); u++) {
            withHeldOut += m.byUser().rowLength(u) >= 3 ? 1 : 0;
        }
        assertEquals(withHeldOut, a.trainingLists() + a.validationLists());
        LearnedFusion.Result again = LearnedFusion.fit(m, 0.2, texts, wals, params, Workers.offline(), null);
        assertArrayEquals(a.fit().net().toFloats(), again.fit().net().toFloats());
        assertThrows(IllegalArgumentException.class, () -> LearnedFusion.fit(m, 1.0, texts, wals, params, Workers.offline(), null));
    }

    /** The offset joins the network as two hidden units: the output moves by exactly offset × the raw feature. */
    @Test
    void offsetAddsItsFeatureTimesTheOffset() {
        int[] inputs = { FusionFeature.COLLABORATIVE.ordinal(), FusionFeature.PROJECTED.ordinal() };
        FusionNet net = new FusionNet(
            inputs,
            new double[]{ 0.5, 0.1 },
            new double[]{ 2, 0.3 },
            new float[]{ 1, -1, 0.5f, 2 },
            new float[]{ 0.1f, -0.2f },
            new float[]{ 1, -0.5f },
            0.3f
        );
        FusionNet shifted = net.withOffset(FusionFeature.PROJECTED, -0.75);
        assertEquals(net.hidden() + 2, shifted.hidden());
        for (double projected : new double[]{ 0, 1 }) {
            double[] features = { 0.7, 0, 0, 0, projected };
            assertEquals(net.raw(features) - 0.75 * projected, shifted.raw(features), 1e-6);
        }
        assertArrayEquals(shifted.toFloats(), FusionNet.fromFloats(shifted.toFloats()).toFloats());
        assertThrows(IllegalArgumentException.class, () -> net.withOffset(FusionFeature.CONTENT, 1));
    }

    @Test
    void identityNetKeepsItsFeatureExactly() {
        FusionNet identity = FusionNet.identity(FusionFeature.COLLABORATIVE);
        for (double x : new double[]{ -3.5, -1e-6, 0, 0.25, 42 }) {
            assertEquals(x, identity.raw(new double[]{ x, 9, 9, 9, 9 }), 0);
        }
        assertTrue(identity.reads(FusionFeature.COLLABORATIVE));
        assertEquals(false, identity.reads(FusionFeature.POPULARITY));
        assertArrayEquals(identity.toFloats(), FusionNet.fromFloats(identity.toFloats()).toFloats());
    }

    @Test
    void ndcgCountsRelevantItemsOutsideTheCandidates() {
        CandidateLists.Builder b = new CandidateLists.Builder().startList(2);
        b.add(new double[]{ 2, 0, 0, 0, 0 }, true);
        b.add(new double[]{ 1, 0, 0, 0, 0 }, false);
        CandidateLists lists = b.build();
        double ideal = 1 + 1 / (Math.log(3) / Math.log(2));
        assertEquals(1 / ideal, lists.ndcg(WeightedSum.collaborativeOnly(), 10), 1e-12);
        assertEquals((1 / (Math.log(3) / Math.log(2))) / ideal, lists.ndcg(new WeightedSum(new double[]{ -1, 0, 0, 0 }), 10), 1e-12);
    }

    static CandidateLists synthetic(int users, int candidates, Random random) {
        CandidateLists.Builder b = new CandidateLists.Builder();
        double[] row = new double[FusionFeature.COUNT];
        for (int u = 0; u < users; u++) {
            b.startList(3);
            for (int c = 0; c < candidates; c++) {
                row[0] = 1 - c / (double) candidates;
                row[1] = random.nextDouble();
                row[2] = random.nextDouble() * 5;
                row[3] = FusionFeatures.nonNegative(row[0]);
                b.add(row, c >= 3 && c < 6 ? false : row[1] > 0.9);
            }
        }
        return b.build();
    }
}

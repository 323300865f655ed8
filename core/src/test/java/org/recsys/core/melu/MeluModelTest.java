package org.recsys.core.melu;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serving API: what a node calls per request, and the model as bytes. */
class MeluModelTest {

    private static SyntheticMelu world;
    private static MeluModel model;
    private static final int[] ITEMS = { 0, 1, 2, 3, 4, 5 };

    @BeforeAll
    static void train() {
        world = new SyntheticMelu(2);
        model = new MeluTrainer(SyntheticMelu.params()).train(world.vocabulary, world.catalog, world.tasks(60, 10, 5));
    }

    private static float[] predict(MeluModel m, Adaptation a) {
        float[] out = new float[ITEMS.length];
        m.predict(a, ITEMS, out);
        return out;
    }

    private static EncodedFeatures male() {
        return model.user(SyntheticMelu.user(true));
    }

    @Test
    void adaptationUsesKnownItemsAndCountsUnknownOnes() {
        Adaptation a = model.adapt(male(), new String[]{ "i0", "nope", "i4", "i9" }, new float[]{ 5, 1, 5, 2 });
        assertTrue(a.adapted());
        assertEquals(3, a.ratingsUsed());
        assertEquals(1, a.unknownItems());
        assertFalse(Arrays.equals(predict(model, a), predict(model, model.unadapted(male()))));
        for (float p : predict(model, a)) {
            assertTrue(p >= 1 && p <= 5, "prediction " + p + " within the scale");
        }
    }

    @Test
    void noUsableRatingGivesTheUnadaptedModel() {
        float[] unadapted = predict(model, model.unadapted(male()));
        Adaptation none = model.adapt(male(), new String[0], new float[0]);
        Adaptation allUnknown = model.adapt(male(), new String[]{ "x", "y" }, new float[]{ 4, 4 });
        assertFalse(none.adapted());
        assertFalse(allUnknown.adapted());
        assertEquals(2, allUnknown.unknownItems());
        assertArrayEquals(unadapted, predict(model, none));
        assertArrayEquals(unadapted, predict(model, allUnknown));
    }

    @Test
    void ratingsOutsideTheScaleAreRefusedByName() {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> model.adapt(male(), new String[]{ "i0", "i1" }, new float[]{ 4, 7 }));
        assertEquals("rating [7.0] of item [i1] is outside the model's scale [1.0, 5.0]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.adapt(male(), new String[]{ "i0" }, new float[]{ Float.NaN }));
        assertThrows(IllegalArgumentException.class, () -> model.adapt(male(), new String[]{ "i0" }, new float[]{ 3, 4 }));
    }

    @Test
    void userFeaturesAreCheckedAndUnknownValuesCounted() {
        EncodedFeatures user = model.user(Map.of("gender", List.of("M"), "occupation", List.of("astronaut")));
        assertEquals(1, user.unknownValues());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.user(Map.of("shoe_size", List.of("44"))));
        assertTrue(e.getMessage().startsWith("unknown user feature [shoe_size]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.user(Map.of("age", List.of("old"))));
        assertEquals("user feature [age] must be a number, got [old]", e.getMessage());
    }

    @Test
    void theScorerGivesPredictWhatTheFullNetworkGives() {
        Adaptation a = model.adapt(male(), new String[]{ "i0", "i3", "i8" }, new float[]{ 5, 2, 4 });
        MeluScorer scorer = model.scorer(a);
        float[] vectors = model.itemVectors();
        int width = model.itemWidth();
        assertEquals(width, scorer.itemWidth());
        assertEquals(model.catalog().size() * width, vectors.length);
        int[] all = new int[model.catalog().size()];
        Arrays.setAll(all, i -> i);
        float[] predicted = new float[all.length];
        model.predict(a, all, predicted);
        DecisionNetwork net = model.layout.network;
        float[] x = new float[net.in];
        System.arraycopy(a.userVector(), 0, x, 0, a.userVector().length);
        for (int i : all) {
            // What a node does with the vector it reads from Lucene: exactly predict's figure.
            float[] fromIndex = Arrays.copyOfRange(vectors, i * width, (i + 1) * width);
            assertEquals(predicted[i], scorer.score(fromIndex, 0), "item " + i);
            // And the network on the concatenated input, up to the rounding of a split sum.
            System.arraycopy(fromIndex, 0, x, a.userVector().length, width);
            float full = net.forwardRow(a.fastWeights(), 0, x, 0, new float[net.h1], 0, new float[net.h2], 0);
            assertEquals(Math.min(5f, Math.max(1f, full)), predicted[i], 1e-5f, "item " + i);
        }
    }

    @Test
    void bytesGiveTheSameModel() {
        byte[] bytes = MeluModelFormat.toBytes(model);
        MeluModel copy = MeluModelFormat.fromBytes(bytes);
        assertArrayEquals(model.params, copy.params);
        String[] items = { "i0", "i3", "i8" };
        float[] ratings = { 5, 2, 4 };
        assertArrayEquals(
            predict(model, model.adapt(male(), items, ratings)),
            predict(copy, copy.adapt(copy.user(SyntheticMelu.user(true)), items, ratings))
        );
        assertArrayEquals(bytes, MeluModelFormat.toBytes(copy));
    }

    @Test
    void corruptBytesAreRefused() {
        byte[] bytes = MeluModelFormat.toBytes(model);
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> MeluModelFormat.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(e.getMessage().startsWith("not a MeLU model: truncated"), e.getMessage());
        byte[] wrongMagic = bytes.clone();
        wrongMagic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> MeluModelFormat.fromBytes(wrongMagic));
        assertThrows(IllegalArgumentException.class, () -> MeluModelFormat.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)));
    }
}

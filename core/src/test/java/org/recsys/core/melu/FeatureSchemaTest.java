package org.recsys.core.melu;

import org.junit.jupiter.api.Test;
import org.recsys.core.util.Workers;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureSchemaTest {

    private static FeatureField user(String name, FeatureField.Transform t) {
        return new FeatureField(name, FeatureField.Side.USER, t);
    }

    @Test
    void transformsTurnRawValuesIntoVocabularyValues() {
        FeatureField split = user("actors", new FeatureField.Split(","));
        assertEquals(List.of("Tom Hanks", "Tim Allen"), split.normalise(List.of(" Tom Hanks,  Tim Allen ,")));
        FeatureField prefix = user("zip", new FeatureField.Prefix(2));
        assertEquals(List.of("94", "T8", "9"), prefix.normalise(List.of("94043", " T8H1N", "9", "  ")));
        FeatureField age = user("age", new FeatureField.Buckets(new double[]{ 18, 25, 35 }));
        assertEquals(List.of("<18", ">=18", ">=25", ">=35", ">=35"), age.normalise(List.of("7", "18", "34.9", "35", "80")));
        FeatureField ratio = user("ratio", new FeatureField.Buckets(new double[]{ 0.5 }));
        assertEquals(List.of("<0.5", ">=0.5"), ratio.normalise(List.of("0.1", "2")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> age.normalise(List.of("old")));
        assertEquals("user feature [age] must be a number, got [old]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FeatureField.Buckets(new double[]{ 3, 2 }));
        assertThrows(IllegalArgumentException.class, () -> new FeatureField.Prefix(0));
        assertThrows(IllegalArgumentException.class, () -> new FeatureField.Split(""));
    }

    @Test
    void aSchemaNeedsAnItemFeatureAndDistinctNames() {
        FeatureField genre = FeatureField.keyword("genre", FeatureField.Side.ITEM);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureSchema.of(List.of(), List.of()));
        assertEquals("a MeLU model needs at least one item feature", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureSchema.of(List.of(), List.of(genre, genre)));
        assertEquals("item feature [genre] is named twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureSchema.of(List.of(genre), List.of(genre)));
        assertTrue(e.getMessage().contains("is a item feature, listed with the user features"), e.getMessage());
        // A user feature and an item feature may share a name: they are different features.
        FeatureSchema schema = FeatureSchema.of(List.of(FeatureField.keyword("genre", FeatureField.Side.USER)), List.of(genre));
        assertEquals(2, schema.fields().size());
    }

    /** A schema of any names and every transform: the model's bytes keep it, and it trains without users' features. */
    @Test
    void anyFeaturesTrainAndRoundTrip() {
        FeatureSchema schema = FeatureSchema.of(
            List.of(new FeatureField("band", FeatureField.Side.USER, new FeatureField.Buckets(new double[]{ 10, 20 }))),
            List.of(
                FeatureField.keyword("colour", FeatureField.Side.ITEM),
                new FeatureField("tags", FeatureField.Side.ITEM, new FeatureField.Split("|")),
                new FeatureField("code", FeatureField.Side.ITEM, new FeatureField.Prefix(1))
            )
        );
        MeluDataset.Builder data = new MeluDataset.Builder(schema);
        for (int i = 0; i < 20; i++) {
            data.item(
                "p" + i,
                Map.of(
                    "colour",
                    List.of(i % 2 == 0 ? "red" : "blue"),
                    "tags",
                    List.of("t" + i % 3 + "|t" + i % 4),
                    "code",
                    List.of("X" + i)
                )
            );
        }
        data.user("u0", Map.of("band", List.of("15")));
        for (int u = 0; u < 6; u++) {
            for (int i = 0; i < 20; i++) {
                data.rating("u" + u, "p" + i, i % 2 == 0 ? 5 : 1, i);
            }
        }
        MeluParams params = new MeluParams(4, 8, 8, 1, 0.05f, 0.01f, 4, 2, MetaGradient.FIRST_ORDER, 90, 1f, 5f, 1, 3L);
        MeluModel model = data.build().train(params, (e, n, l, s) -> {
        }, Workers.offline());
        assertEquals(12, model.itemWidth());
        MeluModel copy = MeluModelFormat.fromBytes(MeluModelFormat.toBytes(model));
        assertEquals(schema, copy.schema());
        assertArrayEquals(MeluModelFormat.toBytes(model), MeluModelFormat.toBytes(copy));
        EncodedFeatures user = copy.user(Map.of("band", List.of("3")));
        assertEquals(1, user.unknownValues(), "band <10 was never seen");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> copy.user(Map.of("gender", List.of("F"))));
        assertEquals("unknown user feature [gender]; expected one of [band]", e.getMessage());
    }
}

package org.recsys.core.melu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny world where MeLU has something to learn: the rating is 3 ± 1 by whether the user's gender likes the item's
 * first genre, plus a per-user offset of ±0.75 that no feature reveals, so only adaptation can find it.
 */
final class SyntheticMelu {

    static final int ITEMS = 40;
    static final String[] GENRES = { "g0", "g1", "g2", "g3" };

    final FeatureVocabulary vocabulary;
    final ItemCatalog catalog;
    final Map<String, Map<String, List<String>>> items = new LinkedHashMap<>();
    private final Random random;

    SyntheticMelu(long seed) {
        random = new Random(seed);
        for (int i = 0; i < ITEMS; i++) {
            items.put(
                "i" + i,
                Map.of(
                    "genres",
                    List.of(GENRES[i % GENRES.length]),
                    "year",
                    List.of(String.valueOf(1990 + i % 5)),
                    "director",
                    List.of("d" + i % 7),
                    "actors",
                    List.of("a" + i % 11 + ", a" + (i + 3) % 11)
                )
            );
        }
        FeatureVocabulary.Builder builder = new FeatureVocabulary.Builder(FeatureSchema.MOVIELENS);
        builder.add(FeatureField.Side.USER, user(true));
        builder.add(FeatureField.Side.USER, user(false));
        items.values().forEach(raw -> builder.add(FeatureField.Side.ITEM, raw));
        vocabulary = builder.build();
        catalog = new ItemCatalog(
            List.copyOf(items.keySet()),
            items.values().stream().map(raw -> vocabulary.encode(FeatureField.Side.ITEM, raw)).toList()
        );
    }

    static Map<String, List<String>> user(boolean male) {
        return Map.of("gender", List.of(male ? "M" : "F"), "age", List.of("30"), "occupation", List.of("writer"), "zip", List.of("94043"));
    }

    static float rating(boolean male, int item, float offset) {
        boolean likes = (item % GENRES.length == 0) == male;
        return Math.max(1f, Math.min(5f, 3f + (likes ? 1f : -1f) + offset));
    }

    /** Tasks of {@code users} random users, each with {@code support} and {@code query} random items. */
    List<MetaTask> tasks(int users, int support, int query) {
        List<MetaTask> tasks = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            boolean male = random.nextBoolean();
            float offset = random.nextBoolean() ? 0.75f : -0.75f;
            int[] s = randomItems(support);
            int[] q = randomItems(query);
            tasks.add(
                new MetaTask(
                    vocabulary.encode(FeatureField.Side.USER, user(male)),
                    s,
                    ratings(male, s, offset),
                    q,
                    ratings(male, q, offset)
                )
            );
        }
        return tasks;
    }

    private int[] randomItems(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(ITEMS);
        }
        return out;
    }

    private static float[] ratings(boolean male, int[] items, float offset) {
        float[] out = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = rating(male, items[i], offset);
        }
        return out;
    }

    static MeluParams params() {
        return new MeluParams(8, 16, 16, 2, 0.05f, 0.01f, 8, 15, MetaGradient.FIRST_ORDER, 90, 1f, 5f, 2, 7L);
    }
}

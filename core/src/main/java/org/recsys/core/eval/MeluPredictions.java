package org.recsys.core.eval;

import org.recsys.core.melu.Adaptation;
import org.recsys.core.melu.EncodedFeatures;
import org.recsys.core.melu.FeatureField;
import org.recsys.core.melu.FeatureVocabulary;
import org.recsys.core.melu.ItemCatalog;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.melu.MeluTrainer;
import org.recsys.core.melu.MetaTask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MeLU on rating files (P4): training tasks from the training users, predictions for new users from their support.
 * A training task mirrors a P4 new user at some point of a training user's history: {@value #QUERY_RATINGS}
 * consecutive ratings are the query, up to {@link MeluParams#maxSupport()} ratings before them the support. A user's
 * history is cut into such queries from the newest back, so every rating after the first few is a query target once
 * per epoch (one task per user would leave the embeddings about ten targets per user to fit).
 */
public final class MeluPredictions {

    public static final int QUERY_RATINGS = 10;
    /** The fewest support ratings a training user needs (P4's new users have at least 3). */
    static final int MIN_SUPPORT = 3;

    private MeluPredictions() {}

    public static MeluModel train(List<Rating> train, MovieLensFeatures features, MeluParams params, MeluTrainer.Listener listener) {
        FeatureVocabulary.Builder builder = new FeatureVocabulary.Builder();
        features.users().values().forEach(raw -> builder.add(FeatureField.Side.USER, raw));
        features.items().values().forEach(raw -> builder.add(FeatureField.Side.ITEM, raw));
        FeatureVocabulary vocabulary = builder.build();
        ItemCatalog catalog = ItemCatalog.encode(vocabulary, features.items());
        List<MetaTask> tasks = new ArrayList<>();
        NewUserSplit.chronological(train).forEach((user, rows) -> {
            EncodedFeatures encoded = vocabulary.encode(FeatureField.Side.USER, features.users().getOrDefault(user, Map.of()));
            for (int queryFrom = rows.size() - QUERY_RATINGS; queryFrom >= MIN_SUPPORT; queryFrom -= QUERY_RATINGS) {
                int supportFrom = Math.max(0, queryFrom - params.maxSupport());
                tasks.add(task(encoded, catalog, rows.subList(supportFrom, queryFrom), rows.subList(queryFrom, queryFrom + QUERY_RATINGS)));
            }
        });
        return new MeluTrainer(params).listener(listener).train(vocabulary, catalog, tasks);
    }

    private static MetaTask task(EncodedFeatures user, ItemCatalog catalog, List<Rating> support, List<Rating> query) {
        List<Rating> knownSupport = support.stream().filter(r -> catalog.indexOf(r.item()) >= 0).toList();
        List<Rating> knownQuery = query.stream().filter(r -> catalog.indexOf(r.item()) >= 0).toList();
        return new MetaTask(user, indices(catalog, knownSupport), ratings(knownSupport), indices(catalog, knownQuery), ratings(knownQuery));
    }

    /**
     * One prediction per query row, in order, with what happened to the support ratings.
     *
     * @param adaptedUsers         query users whose model was adapted (the others had no usable support rating)
     * @param unknownSupportItems  support ratings skipped because the item is not in the model's catalogue
     * @param unknownQueryItems    query rows scored as items with no known feature
     */
    public record Predictions(float[] values, int users, int adaptedUsers, int unknownSupportItems, int unknownQueryItems) {}

    /**
     * Each query user adapted from their support rows in time order, or not at all when {@code adapt} is false (the
     * same network without local adaptation), then their query items predicted.
     */
    public static Predictions predict(MeluModel model, MovieLensFeatures features, List<Rating> support, List<Rating> query, boolean adapt) {
        Map<String, List<Rating>> supportByUser = NewUserSplit.chronological(support);
        Map<String, List<Integer>> queryRows = new LinkedHashMap<>();
        for (int i = 0; i < query.size(); i++) {
            queryRows.computeIfAbsent(query.get(i).user(), u -> new ArrayList<>()).add(i);
        }
        float[] out = new float[query.size()];
        int adaptedUsers = 0;
        int unknownSupport = 0;
        int unknownQuery = 0;
        for (Map.Entry<String, List<Integer>> e : queryRows.entrySet()) {
            EncodedFeatures user = model.user(features.users().getOrDefault(e.getKey(), Map.of()));
            List<Rating> rows = adapt ? supportByUser.getOrDefault(e.getKey(), List.of()) : List.of();
            Adaptation adaptation = model.adapt(user, rows.stream().map(Rating::item).toArray(String[]::new), ratings(rows));
            adaptedUsers += adaptation.adapted() ? 1 : 0;
            unknownSupport += adaptation.unknownItems();
            List<Integer> rowIndices = e.getValue();
            int[] items = new int[rowIndices.size()];
            for (int i = 0; i < items.length; i++) {
                items[i] = model.catalog().indexOf(query.get(rowIndices.get(i)).item());
                unknownQuery += items[i] < 0 ? 1 : 0;
            }
            float[] predicted = new float[items.length];
            model.predict(adaptation, items, predicted);
            for (int i = 0; i < items.length; i++) {
                out[rowIndices.get(i)] = predicted[i];
            }
        }
        return new Predictions(out, queryRows.size(), adaptedUsers, unknownSupport, unknownQuery);
    }

    private static int[] indices(ItemCatalog catalog, List<Rating> rows) {
        return rows.stream().mapToInt(r -> catalog.indexOf(r.item())).toArray();
    }

    private static float[] ratings(List<Rating> rows) {
        float[] r = new float[rows.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rows.get(i).rating();
        }
        return r;
    }
}

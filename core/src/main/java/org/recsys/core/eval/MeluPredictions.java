package org.recsys.core.eval;

import org.recsys.core.melu.Adaptation;
import org.recsys.core.melu.EncodedFeatures;
import org.recsys.core.melu.FeatureSchema;
import org.recsys.core.melu.MeluDataset;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.melu.MeluTrainer;
import org.recsys.core.util.Workers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MeLU on rating files (P4): a {@link MeluDataset} of the MovieLens features and the training ratings (its training
 * tasks are described there), and predictions for new users from their support.
 */
public final class MeluPredictions {

    public static final int QUERY_RATINGS = MeluDataset.QUERY_RATINGS;

    private MeluPredictions() {}

    public static MeluModel train(List<Rating> train, MovieLensFeatures features, MeluParams params, MeluTrainer.Listener listener) {
        MeluDataset.Builder data = new MeluDataset.Builder(FeatureSchema.MOVIELENS);
        features.users().forEach(data::user);
        features.items().forEach(data::item);
        for (Rating r : train) {
            data.rating(r.user(), r.item(), r.rating(), r.timestamp());
        }
        return data.build().train(params, listener, Workers.offline());
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
    public static Predictions predict(
        MeluModel model,
        MovieLensFeatures features,
        List<Rating> support,
        List<Rating> query,
        boolean adapt
    ) {
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

    private static float[] ratings(List<Rating> rows) {
        float[] r = new float[rows.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rows.get(i).rating();
        }
        return r;
    }
}

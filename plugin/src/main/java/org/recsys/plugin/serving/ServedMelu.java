package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.recsys.core.melu.Adaptation;
import org.recsys.core.melu.EncodedFeatures;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluModelFormat;
import org.recsys.core.melu.MeluScorer;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.training.MeluTraining;
import org.recsys.plugin.training.MeluTrainingSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The version a {@code melu} model serves: the model itself (from the version's blob) and where its item vectors
 * are (the served slot's field of the item documents). Adapting a user is CPU work on the node that holds this,
 * a few hundred microseconds for 20 ratings; scoring an item needs only the adaptation and the item's vector, read
 * from Lucene where the item lives.
 */
public record ServedMelu(String modelId, long version, String slot, MeluTrainingSpec spec, MeluModel model) implements ServedModel {

    /** Loads a stored version of a {@code melu} model. */
    static ServedMelu load(ModelStore store, VersionRecord version, MeluTrainingSpec spec) {
        return new ServedMelu(version.modelId(), version.version(), version.slot(), spec, MeluModelFormat.fromBytes(store.blob(version, MeluTraining.MODEL)));
    }

    public String itemIndex() {
        return spec.items().index();
    }

    /** The served slot's field of the item documents: each item's embedded features. */
    public String itemField() {
        return spec.itemTarget().field(slot);
    }

    /**
     * A user adapted to their history's ratings, and what was left out.
     *
     * @param unknownItems         history items the model does not know (skipped)
     * @param unknownFeatureValues feature values the model never saw (skipped; the feature counts as absent)
     */
    public record AdaptedUser(Adaptation adaptation, List<String> unknownItems, int unknownFeatureValues) {
        /** False when no rating could be used: the unadapted model serves the user. */
        public boolean adapted() {
            return adaptation.adapted();
        }
    }

    /**
     * Adapts the model to a user: the features by name, the history's ratings in the order given. A history item
     * without a rating, a rating outside the model's scale and an unknown feature name are errors naming them; an
     * unknown item or feature value is skipped and counted. Without a usable rating the user gets the unadapted model.
     */
    public AdaptedUser adapt(UserSpec user) {
        EncodedFeatures features = model.user(user.features());
        List<UserSpec.HistoryItem> history = user.history();
        String[] items = new String[history.size()];
        float[] ratings = new float[history.size()];
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            UserSpec.HistoryItem h = history.get(i);
            if (Float.isNaN(h.rating())) {
                throw new IllegalArgumentException(
                    "[user.history[" + i + "].rating] is required: model [" + modelId + "] is a [melu] model, which adapts to ratings"
                );
            }
            items[i] = h.item();
            ratings[i] = h.rating();
            if (model.catalog().indexOf(h.item()) < 0) {
                unknown.add(h.item());
            }
        }
        return new AdaptedUser(model.adapt(features, items, ratings), unknown, features.unknownValues());
    }

    /** Scores items for an adapted user from their vectors; not thread-safe, one per thread. */
    public MeluScorer scorer(Adaptation adaptation) {
        return model.scorer(adaptation);
    }

    @Override
    public void resolveUser(UserSpec user, Client client, ActionListener<ModelUser> listener) {
        listener.onFailure(new IllegalArgumentException("model [" + modelId + "] is a [melu] model, which is not served yet"));
    }

    /** Length of an item vector. */
    public int itemWidth() {
        return model.itemWidth();
    }
}

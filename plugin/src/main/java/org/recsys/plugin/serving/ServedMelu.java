package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.threadpool.ThreadPool;
import org.recsys.core.melu.Adaptation;
import org.recsys.core.melu.EncodedFeatures;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluModelFormat;
import org.recsys.plugin.store.ModelBlobs;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.training.MeluTrainingSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The version a {@code melu} model serves: the model itself (from the version's blob) and where its item vectors
 * are (the served slot's field of the item documents). Adapting a user is CPU work on the node that holds this,
 * a few hundred microseconds for 20 ratings; scoring an item needs only the adaptation and the item's vector, read
 * from Lucene where the item lives.
 */
public record ServedMelu(String modelId, long version, String slot, MeluTrainingSpec spec, MeluModel model, long memoryBytes)
    implements
        ServedModel {

    /** Loads a stored version of a {@code melu} model. */
    static ServedMelu load(ModelStore store, VersionRecord version, MeluTrainingSpec spec) {
        byte[] bytes = store.blob(version, ModelBlobs.MELU_MODEL);
        return new ServedMelu(version.modelId(), version.version(), version.slot(), spec, MeluModelFormat.fromBytes(bytes), bytes.length);
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
    public record AdaptedUser(Adaptation adaptation, List<String> unknownItems, int unknownFeatureValues) {}

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

    /**
     * Adapts the model to the user on the search pool (a few hundred microseconds for 20 ratings, more for long
     * histories: not work for a network thread) and hands the shards the user's network.
     */
    @Override
    public void resolveUser(UserSpec user, Client client, ActionListener<ModelUser> listener) {
        if (user.id() != null && user.history().isEmpty() && user.features().isEmpty()) {
            listener.onFailure(
                new IllegalArgumentException(
                    "model ["
                        + modelId
                        + "] is a [melu] model: it adapts to the ratings of [user.history] and reads [user.features]; [user.id] alone says neither"
                )
            );
            return;
        }
        client.threadPool().executor(ThreadPool.Names.SEARCH).execute(ActionRunnable.supply(listener, () -> {
            AdaptedUser adapted = adapt(user);
            Adaptation a = adapted.adaptation();
            return new MeluUser(
                new VersionFields(
                    modelId,
                    version,
                    itemIndex(),
                    itemField(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    VersionFields.itemIdField(spec.itemTarget(), Map.of()),
                    spec.itemTarget().idField()
                ),
                model.scorerState(a),
                a.adapted(),
                user.history().stream().map(UserSpec.HistoryItem::item).distinct().toList(),
                adapted.unknownItems(),
                a.ratingsUsed(),
                adapted.unknownFeatureValues()
            );
        }));
    }
}

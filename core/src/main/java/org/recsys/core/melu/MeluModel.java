package org.recsys.core.melu;

import java.util.List;
import java.util.Map;

/**
 * A trained MeLU model: immutable and thread-safe. A user is adapted from a few ratings ({@link #adapt}) into fast
 * decision weights that the caller holds; {@link #predict} scores catalogue items with them. No state is shared
 * between calls, so a node can serve many users at once from one instance ({@link MeluModelFormat} for bytes).
 */
public final class MeluModel {

    final ParameterLayout layout;
    final FeatureVocabulary vocabulary;
    final ItemCatalog catalog;
    final float[] params;
    final int localSteps;
    final float localLr;
    final float minRating;
    final float maxRating;
    /** Each catalogue item's concatenated feature embeddings: embeddings are never adapted, so computed once. */
    private final float[] itemVectors;

    MeluModel(
        int embeddingDim,
        int hidden1,
        int hidden2,
        int localSteps,
        float localLr,
        float minRating,
        float maxRating,
        FeatureVocabulary vocabulary,
        ItemCatalog catalog,
        float[] params
    ) {
        if (embeddingDim < 1 || embeddingDim > 1024 || hidden1 < 1 || hidden1 > 4096 || hidden2 < 1 || hidden2 > 4096) {
            throw new IllegalArgumentException("network sizes [" + embeddingDim + ", " + hidden1 + ", " + hidden2 + "] are out of range");
        }
        if (localSteps < 0 || localSteps > 100 || (localLr >= 0 && Float.isFinite(localLr)) == false) {
            throw new IllegalArgumentException("local steps [" + localSteps + "] or local learning rate [" + localLr + "] out of range");
        }
        this.layout = new ParameterLayout(vocabulary, embeddingDim, hidden1, hidden2);
        if (params.length != layout.size) {
            throw new IllegalArgumentException("expected [" + layout.size + "] parameters, got [" + params.length + "]");
        }
        if ((minRating < maxRating) == false) {
            throw new IllegalArgumentException("rating scale [" + minRating + ", " + maxRating + "] is empty");
        }
        this.vocabulary = vocabulary;
        this.catalog = catalog;
        this.params = params;
        this.localSteps = localSteps;
        this.localLr = localLr;
        this.minRating = minRating;
        this.maxRating = maxRating;
        int width = layout.sideWidth(FeatureField.Side.ITEM);
        this.itemVectors = new float[catalog.size() * width];
        for (int i = 0; i < catalog.size(); i++) {
            layout.embeddings.concat(params, catalog.features(i), itemVectors, i * width);
        }
    }

    public ItemCatalog catalog() {
        return catalog;
    }

    /** The features the model embeds, by name: what a user's features and the item documents must call them. */
    public FeatureSchema schema() {
        return vocabulary.schema();
    }

    public float minRating() {
        return minRating;
    }

    public float maxRating() {
        return maxRating;
    }

    /** A user's raw features (field id to values); unknown fields are an error, unknown values are skipped and counted. */
    public EncodedFeatures user(Map<String, List<String>> raw) {
        return vocabulary.encode(FeatureField.Side.USER, raw);
    }

    /**
     * Adapts the decision layers to one user's support ratings, in the order given. A rating outside the model's
     * scale (or not a number) is an error naming it; an item not in the catalogue is skipped and counted. With no
     * usable rating the result is the unadapted model ({@link Adaptation#adapted()} false).
     */
    public Adaptation adapt(EncodedFeatures user, String[] items, float[] ratings) {
        if (items.length != ratings.length) {
            throw new IllegalArgumentException("[" + items.length + "] items but [" + ratings.length + "] ratings");
        }
        int[] known = new int[items.length];
        float[] target = new float[items.length];
        int n = 0;
        for (int i = 0; i < items.length; i++) {
            if ((ratings[i] >= minRating && ratings[i] <= maxRating) == false) {
                throw new IllegalArgumentException(
                    "rating ["
                        + ratings[i]
                        + "] of item ["
                        + items[i]
                        + "] is outside the model's scale ["
                        + minRating
                        + ", "
                        + maxRating
                        + "]"
                );
            }
            int index = catalog.indexOf(items[i]);
            if (index >= 0) {
                known[n] = index;
                target[n++] = ratings[i];
            }
        }
        int width = layout.sideWidth(FeatureField.Side.USER);
        float[] userVector = new float[width];
        layout.embeddings.concat(params, user, userVector, 0);
        if (n == 0 || localSteps == 0) {
            float[] global = new float[layout.network.size];
            System.arraycopy(params, layout.dense, global, 0, global.length);
            return new Adaptation(userVector, global, 0, items.length - n, false);
        }
        int in = layout.network.in;
        float[] x = new float[n * in];
        for (int r = 0; r < n; r++) {
            System.arraycopy(userVector, 0, x, r * in, width);
            System.arraycopy(itemVectors, known[r] * (in - width), x, r * in + width, in - width);
        }
        float[][] steps = LocalUpdate.trajectory(
            layout.network,
            params,
            layout.dense,
            x,
            target,
            n,
            localSteps,
            localLr,
            new DecisionNetwork.Workspace(layout.network)
        );
        return new Adaptation(userVector, steps[localSteps], n, items.length - n, true);
    }

    /** The unadapted model for a user: global decision weights. */
    public Adaptation unadapted(EncodedFeatures user) {
        return adapt(user, new String[0], new float[0]);
    }

    /** Scores items for one adapted user from their item vectors; see {@link MeluScorer}. */
    public MeluScorer scorer(Adaptation adaptation) {
        return new MeluScorer(scorerState(adaptation));
    }

    /** What a {@link MeluScorer} of this adapted user needs, without the model. */
    public MeluScorer.State scorerState(Adaptation adaptation) {
        DecisionNetwork net = layout.network;
        int userWidth = layout.sideWidth(FeatureField.Side.USER);
        if (adaptation.fastWeights().length != net.size || adaptation.userVector().length != userWidth) {
            throw new IllegalArgumentException("the adaptation does not belong to this model");
        }
        DecisionNetwork user = new DecisionNetwork(net.in - userWidth, net.h1, net.h2);
        float[] weights = new float[user.size];
        net.fixInputs(adaptation.fastWeights(), 0, adaptation.userVector(), userWidth, user, weights);
        return new MeluScorer.State(user.in, net.h1, net.h2, minRating, maxRating, weights);
    }

    /** Length of an item's vector: its embedded features, concatenated. */
    public int itemWidth() {
        return layout.sideWidth(FeatureField.Side.ITEM);
    }

    /** Every catalogue item's vector, item i at {@code i · itemWidth()}: a copy. */
    public float[] itemVectors() {
        return itemVectors.clone();
    }

    /**
     * Predicted ratings, clamped to the model's scale, of catalogue items (indices, see {@link ItemCatalog#indexOf});
     * index -1, an item outside the catalogue, is scored as an item with no known feature.
     */
    public void predict(Adaptation adaptation, int[] items, float[] out) {
        MeluScorer scorer = scorer(adaptation);
        int width = itemWidth();
        float[] none = new float[width];
        for (int i = 0; i < items.length; i++) {
            out[i] = items[i] < 0 ? scorer.score(none, 0) : scorer.score(itemVectors, items[i] * width);
        }
    }
}

package org.recsys.plugin.rescore;

import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.Explanation;
import org.recsys.core.fusion.Fusion;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionFeatures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fused score of one request for one resolved user, on a shard: the fusion of the features (weighted sum or the
 * version's learned network) plus each other model's weighted score, mapped to a positive score. The {@code recsys}
 * rescorer and the {@code fused} script both score with it, so they cannot drift apart.
 */
public final class FusedScore {

    private final ResolvedUser user;
    private final FusionRequest request;
    private final Fusion fusion;
    private final double[] otherWeights;

    public FusedScore(ResolvedUser user, FusionRequest request) {
        this.user = user;
        this.request = request;
        this.fusion = request.fusion(user.model());
        if (fusion.reads(FusionFeature.CONTENT) && user.textField() == null) {
            throw new IllegalArgumentException("the fusion [" + fusion + "] reads [content], but no items' text vector field is named");
        }
        if (fusion.reads(FusionFeature.POPULARITY) && user.popularityField() == null) {
            throw new IllegalArgumentException("the fusion [" + fusion + "] reads [popularity], but no field of item counts is named");
        }
        this.otherWeights = request.models().stream().mapToDouble(ModelWeight::weight).toArray();
    }

    /** A feature array of the right length for {@link LeafFeatures#read}. */
    public double[] newFeatures() {
        return new double[LeafFeatures.length(user)];
    }

    public LeafFeatures leaf(LeafReader reader) throws IOException {
        return new LeafFeatures(reader, user);
    }

    /** The raw fused value of a feature array: the fusion, plus each other model's weighted score. */
    public double raw(double[] features) {
        double raw = fusion.raw(features);
        for (int i = 0; i < otherWeights.length; i++) {
            raw += otherWeights[i] * features[LeafFeatures.OTHERS + i];
        }
        return raw;
    }

    /**
     * Whether the fusion reads {@code projected} (the hybrid's): it then places new items among the known ones, which
     * keep the model's order ({@link org.recsys.core.fusion.FusedOrder#keepKnownOrder}).
     */
    public boolean keepsKnownOrder() {
        return fusion.reads(FusionFeature.PROJECTED);
    }

    /** The positive score of a feature array. */
    public double score(double[] features) {
        return FusionFeatures.nonNegative(raw(features));
    }

    /** The score of a feature array, with each feature's and each other model's contribution. */
    public Explanation explain(double[] features, Explanation firstPhase) {
        double raw = raw(features);
        double[] parts = new double[FusionFeature.COUNT];
        fusion.contributions(features, parts);
        List<Explanation> details = new ArrayList<>();
        for (FusionFeature f : FusionFeature.values()) {
            details.add(Explanation.match((float) parts[f.ordinal()], "contribution of [" + f.id() + "] = " + features[f.ordinal()]));
        }
        List<ModelWeight> models = request.models();
        for (int i = 0; i < models.size(); i++) {
            double value = features[LeafFeatures.OTHERS + i];
            details.add(
                Explanation.match((float) (otherWeights[i] * value), "contribution of model [" + models.get(i).model() + "] = " + value)
            );
        }
        details.add(firstPhase);
        return Explanation.match(
            (float) FusionFeatures.nonNegative(raw),
            "recsys fusion [" + fusion + "]: raw " + raw + ", score 1 + raw if raw >= 0 else 1 / (1 - raw)",
            details
        );
    }
}

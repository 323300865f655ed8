package org.recsys.plugin.rescore;

import org.apache.lucene.index.LeafReader;
import org.elasticsearch.search.rescore.RescoreContext;
import org.recsys.core.fusion.Fusion;

import java.io.IOException;

/** One shard's rescoring of one request: the resolved user, the fusion and the fields it reads. */
final class FusedRescoreContext extends RescoreContext {

    private final ResolvedUser user;
    private final FusionRequest request;
    private final Fusion fusion;
    private final double[] otherWeights;

    FusedRescoreContext(int windowSize, ResolvedUser user, FusionRequest request) {
        super(windowSize, FusedRescorer.INSTANCE);
        this.user = user;
        this.request = request;
        this.fusion = request.fusion(user.model());
        this.otherWeights = request.models().stream().mapToDouble(ModelWeight::weight).toArray();
    }

    Fusion fusion() {
        return fusion;
    }

    ResolvedUser user() {
        return user;
    }

    FusionRequest request() {
        return request;
    }

    LeafFeatures leafFeatures(LeafReader reader) throws IOException {
        return new LeafFeatures(reader, user);
    }

    /** The raw fused value of a feature array from {@link LeafFeatures#read}: the fusion, plus each other model's weighted score. */
    double raw(double[] features) {
        double raw = fusion.raw(features);
        for (int i = 0; i < otherWeights.length; i++) {
            raw += otherWeights[i] * features[LeafFeatures.OTHERS + i];
        }
        return raw;
    }

    double otherWeight(int i) {
        return otherWeights[i];
    }
}

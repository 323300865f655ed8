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

    FusedRescoreContext(int windowSize, ResolvedUser user, FusionRequest request) {
        super(windowSize, FusedRescorer.INSTANCE);
        this.user = user;
        this.request = request;
        this.fusion = request.fusion();
    }

    Fusion fusion() {
        return fusion;
    }

    LeafFeatures leafFeatures(LeafReader reader) throws IOException {
        return new LeafFeatures(reader, user.itemField(), user.factor(), request.textField(), user.contentProfile(), request.popularityField());
    }
}

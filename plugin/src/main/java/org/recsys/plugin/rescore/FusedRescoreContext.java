package org.recsys.plugin.rescore;

import org.elasticsearch.search.rescore.RescoreContext;

/** One shard's rescoring of one request: the fused score of the resolved user. */
final class FusedRescoreContext extends RescoreContext {

    private final FusedScore score;

    FusedRescoreContext(int windowSize, ResolvedUser user, FusionRequest request) {
        super(windowSize, FusedRescorer.INSTANCE);
        this.score = new FusedScore(user, request);
    }

    FusedScore score() {
        return score;
    }
}

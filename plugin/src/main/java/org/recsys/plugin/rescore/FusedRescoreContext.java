package org.recsys.plugin.rescore;

import org.elasticsearch.core.Nullable;
import org.elasticsearch.search.rescore.RescoreContext;

/** One shard's rescoring of one request: the fused score of the resolved user, and which hits of the window it scores. */
final class FusedRescoreContext extends RescoreContext {

    private final FusedScore score;
    @Nullable
    private final HybridWindow hybridWindow;

    FusedRescoreContext(int windowSize, ResolvedUser user, FusionRequest request, @Nullable HybridWindow hybridWindow) {
        super(windowSize, FusedRescorer.INSTANCE);
        this.score = new FusedScore(user, request);
        this.hybridWindow = hybridWindow;
    }

    FusedScore score() {
        return score;
    }

    /** The hybrid fusion's candidates among the window's hits, or null when every hit of the window is one. */
    @Nullable
    HybridWindow hybridWindow() {
        return hybridWindow;
    }
}

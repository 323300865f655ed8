package org.recsys.plugin.rescore;

import it.unimi.dsi.fastutil.ints.Int2DoubleOpenHashMap;
import org.apache.lucene.search.ScoreDoc;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.search.rescore.RescoreContext;

/** One shard's rescoring of one request: the fused score of the resolved user, and which hits of the window it scores. */
final class FusedRescoreContext extends RescoreContext {

    private final FusedScore score;
    @Nullable
    private final HybridWindow hybridWindow;
    /** The fused value a known hit was given to keep the model's order, where it is not its own. */
    private final Int2DoubleOpenHashMap knownOrderValues = new Int2DoubleOpenHashMap();

    FusedRescoreContext(int windowSize, ResolvedUser user, FusionRequest request, @Nullable HybridWindow hybridWindow) {
        super(windowSize, FusedRescorer.INSTANCE);
        this.score = new FusedScore(user, request);
        this.hybridWindow = hybridWindow;
        knownOrderValues.defaultReturnValue(Double.NaN);
    }

    /** Remembers, for {@code explain}, the hits whose value {@code served} is not their {@code own}. */
    void setKnownOrderValues(ScoreDoc[] hits, double[] own, double[] served, int n) {
        for (int i = 0; i < n; i++) {
            if (own[i] != served[i]) {
                knownOrderValues.put(hits[i].doc, served[i]);
            }
        }
    }

    /** The value {@link #setKnownOrderValues} gave the top-level document, or NaN. */
    double knownOrderValue(int doc) {
        return knownOrderValues.get(doc);
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

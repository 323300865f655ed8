package org.recsys.plugin.rescore;

import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedNumericDocValues;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionFeatures;
import org.recsys.plugin.serving.IndexedVectorReader;
import org.recsys.plugin.serving.ItemScorer;
import org.recsys.plugin.serving.ModelUser;

import java.io.IOException;
import java.util.List;

/**
 * One segment's view of the per-item features: the models' scores (each from its own Lucene data), the text vector
 * from Lucene's vector values, the interaction count from doc values. Documents must be visited in increasing
 * order; {@link #read} fills a caller-owned array and allocates nothing.
 */
public final class LeafFeatures {

    /** Where the other models' scores start in a feature array: after the fused features. */
    static final int OTHERS = FusionFeature.COUNT;

    private final ItemScorer model;
    private final ItemScorer[] others;
    private final float[] contentProfile;
    private final FloatVectorValues texts;
    private final SortedNumericDocValues counts;

    LeafFeatures(LeafReader reader, ResolvedUser user) throws IOException {
        this.model = user.model().scorer(reader);
        List<ModelUser> o = user.others();
        this.others = new ItemScorer[o.size()];
        for (int i = 0; i < others.length; i++) {
            others[i] = o.get(i).scorer(reader);
        }
        this.contentProfile = user.contentProfile();
        this.texts = user.textField() == null || contentProfile == null
            ? null
            : IndexedVectorReader.open(reader, user.textField(), contentProfile.length);
        this.counts = user.popularityField() == null ? null : DocValues.getSortedNumeric(reader, user.popularityField());
    }

    /** The length of a feature array for this request: the fused features, then one per other model. */
    static int length(ResolvedUser user) {
        return OTHERS + user.others().size();
    }

    /** Fills {@code out} (indexed by feature ordinal, then the other models in order) for the segment's document {@code doc}. */
    public void read(int doc, double firstPhaseScore, double[] out) throws IOException {
        out[FusionFeature.COLLABORATIVE.ordinal()] = orZero(model.score(doc));
        out[FusionFeature.CONTENT.ordinal()] = FusionFeatures.content(contentProfile, IndexedVectorReader.at(texts, doc));
        long count = counts != null && counts.advanceExact(doc) ? counts.nextValue() : 0;
        out[FusionFeature.POPULARITY.ordinal()] = FusionFeatures.popularity(count);
        // Without a count field nothing says an item is new; with one, an item without interactions has no count.
        out[FusionFeature.PROJECTED.ordinal()] = counts != null && count == 0 ? 1d : 0d;
        out[FusionFeature.FIRST_PHASE.ordinal()] = firstPhaseScore;
        for (int i = 0; i < others.length; i++) {
            out[OTHERS + i] = orZero(others[i].score(doc));
        }
    }

    /** An item a model has nothing for scores 0 there, as an item without a factor always has. */
    private static double orZero(double score) {
        return Double.isNaN(score) ? 0d : score;
    }
}

package org.recsys.plugin.rescore;

import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.VectorEncoding;
import org.elasticsearch.core.Nullable;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionFeatures;

import java.io.IOException;

/**
 * One segment's view of the per-item features: the item factor and text vector from Lucene's vector values, the
 * interaction count from doc values. Documents must be visited in increasing order; {@link #read} fills a
 * caller-owned array and allocates nothing.
 */
public final class LeafFeatures {

    private final float[] userFactor;
    private final float[] contentProfile;
    private final FloatVectorValues factors;
    private final FloatVectorValues texts;
    private final SortedNumericDocValues counts;

    public LeafFeatures(
        LeafReader reader,
        String itemField,
        float[] userFactor,
        @Nullable String textField,
        @Nullable float[] contentProfile,
        @Nullable String popularityField
    ) throws IOException {
        this.userFactor = userFactor;
        this.contentProfile = contentProfile;
        this.factors = vectors(reader, itemField, userFactor.length);
        this.texts = textField == null || contentProfile == null ? null : vectors(reader, textField, contentProfile.length);
        this.counts = popularityField == null ? null : DocValues.getSortedNumeric(reader, popularityField);
    }

    /** The segment's vectors of the field, or null when no document of the segment has one. */
    private static FloatVectorValues vectors(LeafReader reader, String field, int dims) throws IOException {
        FieldInfo info = reader.getFieldInfos().fieldInfo(field);
        if (info == null || info.getVectorDimension() == 0) {
            return null;
        }
        if (info.getVectorEncoding() != VectorEncoding.FLOAT32 || info.getVectorDimension() != dims) {
            throw new IllegalArgumentException(
                "field [" + field + "] holds " + info.getVectorDimension() + " " + info.getVectorEncoding() + " dimensions; the [recsys] fusion needs "
                    + dims + " float dimensions there"
            );
        }
        return reader.getFloatVectorValues(field);
    }

    /** Fills {@code out} (indexed by feature ordinal) for the segment's document {@code doc}. */
    public void read(int doc, double firstPhaseScore, double[] out) throws IOException {
        float[] factor = at(factors, doc);
        out[FusionFeature.COLLABORATIVE.ordinal()] = factor == null ? 0d : FusionFeatures.collaborative(userFactor, factor);
        out[FusionFeature.CONTENT.ordinal()] = FusionFeatures.content(contentProfile, at(texts, doc));
        out[FusionFeature.POPULARITY.ordinal()] = counts != null && counts.advanceExact(doc) ? FusionFeatures.popularity(counts.nextValue()) : 0d;
        out[FusionFeature.FIRST_PHASE.ordinal()] = firstPhaseScore;
    }

    private static float[] at(FloatVectorValues values, int doc) throws IOException {
        if (values == null) {
            return null;
        }
        int current = values.docID() < doc ? values.advance(doc) : values.docID();
        return current == doc ? values.vectorValue() : null;
    }
}

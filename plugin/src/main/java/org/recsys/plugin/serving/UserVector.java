package org.recsys.plugin.serving;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.recsys.core.fusion.FusionFeatures;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.SearchExecutionContext;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A user of a model that scores items by a dot product: the user's vector against each item's vector in the served
 * item field ({@code max_inner_product}, so {@code knn} on that field ranks as the model does). How it was made
 * ({@code stored} or {@code folded_in}), the user's items (to exclude), the history items the model does not know,
 * and the user's content profile with the items' text field it was made from, when the version keeps them, travel
 * with it.
 */
public record UserVector(
    String modelId,
    long version,
    String itemIndex,
    String itemField,
    float[] vector,
    String source,
    List<String> seenItems,
    List<String> unknownItems,
    @Nullable float[] contentProfile,
    @Nullable String contentField
) implements ModelUser {

    public static final String NAME = "vector";
    public static final String STORED = "stored";
    public static final String FOLDED_IN = "folded_in";

    public UserVector(StreamInput in) throws IOException {
        this(
            in.readString(),
            in.readVLong(),
            in.readString(),
            in.readString(),
            in.readFloatArray(),
            in.readString(),
            in.readStringCollectionAsList(),
            in.readStringCollectionAsList(),
            in.readOptionalFloatArray(),
            in.readOptionalString()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        out.writeVLong(version);
        out.writeString(itemIndex);
        out.writeString(itemField);
        out.writeFloatArray(vector);
        out.writeString(source);
        out.writeStringCollection(seenItems);
        out.writeStringCollection(unknownItems);
        out.writeOptionalFloatArray(contentProfile);
        out.writeOptionalString(contentField);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserVector u
            && modelId.equals(u.modelId)
            && version == u.version
            && itemIndex.equals(u.itemIndex)
            && itemField.equals(u.itemField)
            && Arrays.equals(vector, u.vector)
            && source.equals(u.source)
            && seenItems.equals(u.seenItems)
            && unknownItems.equals(u.unknownItems)
            && Arrays.equals(contentProfile, u.contentProfile)
            && Objects.equals(contentField, u.contentField);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, version, itemField, Arrays.hashCode(vector), seenItems);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public float[] queryVector() {
        return vector;
    }

    @Override
    public String queryField() {
        return itemField;
    }

    @Override
    public void checkMapping(SearchExecutionContext context) {
        SegmentVectors.checkMapping(context, itemField, "the item field of model [" + modelId + "]");
    }

    @Override
    public ItemScorer scorer(LeafReader reader) throws IOException {
        FloatVectorValues items = SegmentVectors.open(reader, itemField, vector.length);
        return doc -> {
            float[] item = SegmentVectors.at(items, doc);
            return item == null ? Double.NaN : FusionFeatures.collaborative(vector, item);
        };
    }
}

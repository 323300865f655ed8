package org.recsys.plugin.serving;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.fusion.FusionFeatures;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user of a model that scores items by a dot product: the user's vector against each item's vector in the served
 * item field ({@code max_inner_product}, so {@code knn} on that field ranks as the model does). How it was made
 * ({@code stored}, {@code folded_in} or {@code encoded}), the user's items (to exclude), the history items the model
 * does not know, the user's content profile when the version keeps them, what the model type reports besides
 * ({@link #details()}) and terms the model adds to some items' scores ({@link #itemTerms()}: a sequential model's
 * transition term after the history's last item) travel with it.
 */
public record UserVector(
    VersionFields served,
    float[] vector,
    String source,
    List<String> seenItems,
    List<String> unknownItems,
    @Nullable float[] contentProfile,
    Map<String, Object> details,
    Map<String, Float> itemTerms
) implements ModelUser {

    public static final String NAME = "vector";
    public static final String STORED = "stored";
    public static final String FOLDED_IN = "folded_in";
    /** A sequential model's encoder ran over the user's history. */
    public static final String ENCODED = "encoded";

    public UserVector(
        VersionFields served,
        float[] vector,
        String source,
        List<String> seenItems,
        List<String> unknownItems,
        @Nullable float[] contentProfile
    ) {
        this(served, vector, source, seenItems, unknownItems, contentProfile, Map.of(), Map.of());
    }

    public UserVector(StreamInput in) throws IOException {
        this(
            new VersionFields(in),
            in.readFloatArray(),
            in.readString(),
            in.readStringCollectionAsList(),
            in.readStringCollectionAsList(),
            in.readOptionalFloatArray(),
            in.readGenericMap(),
            in.readMap(StreamInput::readFloat)
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        served.writeTo(out);
        out.writeFloatArray(vector);
        out.writeString(source);
        out.writeStringCollection(seenItems);
        out.writeStringCollection(unknownItems);
        out.writeOptionalFloatArray(contentProfile);
        out.writeGenericMap(details);
        out.writeMap(itemTerms, StreamOutput::writeFloat);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserVector u
            && served.equals(u.served)
            && Arrays.equals(vector, u.vector)
            && source.equals(u.source)
            && seenItems.equals(u.seenItems)
            && unknownItems.equals(u.unknownItems)
            && Arrays.equals(contentProfile, u.contentProfile)
            && details.equals(u.details)
            && itemTerms.equals(u.itemTerms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(served, Arrays.hashCode(vector), seenItems);
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
        return served.itemField();
    }

    @Override
    public String contentField() {
        return served.contentField();
    }

    @Override
    public String countField() {
        return served.countField();
    }

    @Override
    public float[] learnedFusion() {
        return served.learnedFusion();
    }

    /** The user, and the {@code fused} script's params for them ({@code FusedScriptParams}). */
    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("model_id", served.modelId()).field("version", served.version()).field("source", source);
        builder.field("seen_items", seenItems.size()).field("unknown_items", unknownItems);
        for (Map.Entry<String, Object> detail : details.entrySet()) {
            builder.field(detail.getKey(), detail.getValue());
        }
        builder.array("vector", vector);
        builder.startObject("script_params").field("model", served.modelId()).field("version", served.version());
        builder.field("item_field", served.itemField()).array("user_vector", vector);
        if (served.contentField() != null && contentProfile != null) {
            builder.field("text_field", served.contentField()).array("content_profile", contentProfile);
        }
        if (served.countField() != null) {
            builder.field("popularity_field", served.countField());
        }
        if (served.learnedFusion() != null) {
            builder.array("learned_fusion", served.learnedFusion());
        }
        return builder.endObject();
    }

    @Override
    public void checkMapping(SearchExecutionContext context) {
        IndexedVectorReader.checkMapping(context, served.itemField(), "the item field of model [" + served.modelId() + "]");
    }

    @Override
    public ItemScorer scorer(LeafReader reader) throws IOException {
        FloatVectorValues items = IndexedVectorReader.open(reader, served.itemField(), vector.length);
        SegmentIds terms = SegmentIds.of(reader, served.itemKeyField(), itemTerms);
        return doc -> {
            float[] item = IndexedVectorReader.at(items, doc);
            return item == null ? Double.NaN : FusionFeatures.collaborative(vector, item) + terms.get(doc);
        };
    }
}

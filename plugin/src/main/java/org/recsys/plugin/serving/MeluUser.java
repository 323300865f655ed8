package org.recsys.plugin.serving;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.melu.MeluScorer;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user of a {@code melu} model, adapted once on the coordinating node: the user's own network (the adapted decision
 * layers with their features folded in, {@link MeluScorer.State}), which scores an item from its vector in the served
 * item field, read from Lucene's vector values on the shards. It has no query vector: candidates come from a query
 * or another model's {@code knn}. The rated items are the user's own (left out of recommendations).
 *
 * @param ratingsUsed          history ratings the adaptation used
 * @param unknownFeatureValues feature values the model never saw (skipped)
 */
public record MeluUser(
    VersionFields served,
    MeluScorer.State state,
    boolean adapted,
    List<String> seenItems,
    List<String> unknownItems,
    int ratingsUsed,
    int unknownFeatureValues
) implements ModelUser {

    public static final String NAME = "melu";
    public static final String ADAPTED = "adapted";
    public static final String UNADAPTED = "unadapted";

    public MeluUser(StreamInput in) throws IOException {
        this(
            new VersionFields(in),
            new MeluScorer.State(in.readVInt(), in.readVInt(), in.readVInt(), in.readFloat(), in.readFloat(), in.readFloatArray()),
            in.readBoolean(),
            in.readStringCollectionAsList(),
            in.readStringCollectionAsList(),
            in.readVInt(),
            in.readVInt()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        served.writeTo(out);
        out.writeVInt(state.itemWidth());
        out.writeVInt(state.hidden1());
        out.writeVInt(state.hidden2());
        out.writeFloat(state.minRating());
        out.writeFloat(state.maxRating());
        out.writeFloatArray(state.weights());
        out.writeBoolean(adapted);
        out.writeStringCollection(seenItems);
        out.writeStringCollection(unknownItems);
        out.writeVInt(ratingsUsed);
        out.writeVInt(unknownFeatureValues);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public String source() {
        return adapted ? ADAPTED : UNADAPTED;
    }

    @Override
    public float[] queryVector() {
        return null;
    }

    @Override
    public String queryField() {
        return null;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("adapted", adapted);
        out.put("ratings_used", ratingsUsed);
        out.put("unknown_feature_values", unknownFeatureValues);
        return out;
    }

    /**
     * What {@code POST _recsys/models/{id}/_user} answers: how the user was resolved, without the network (the
     * {@code fused} script reads users of vector models only; a melu user scores through the rescorer).
     */
    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("model_id", served.modelId()).field("version", served.version()).field("source", source());
        builder.field("seen_items", seenItems.size()).field("unknown_items", unknownItems);
        for (Map.Entry<String, Object> e : details().entrySet()) {
            builder.field(e.getKey(), e.getValue());
        }
        return builder;
    }

    @Override
    public void checkMapping(SearchExecutionContext context) {
        IndexedVectorReader.checkMapping(context, served.itemField(), "the item field of model [" + served.modelId() + "]");
    }

    /** The predicted rating of each document with an item vector; NaN for one without. */
    @Override
    public ItemScorer scorer(LeafReader reader) throws IOException {
        FloatVectorValues items = IndexedVectorReader.open(reader, served.itemField(), state.itemWidth());
        MeluScorer scorer = new MeluScorer(state);
        return doc -> {
            float[] item = IndexedVectorReader.at(items, doc);
            return item == null ? Double.NaN : scorer.score(item, 0);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeluUser u
            && served.equals(u.served)
            && state.itemWidth() == u.state.itemWidth()
            && state.hidden1() == u.state.hidden1()
            && state.hidden2() == u.state.hidden2()
            && state.minRating() == u.state.minRating()
            && state.maxRating() == u.state.maxRating()
            && Arrays.equals(state.weights(), u.state.weights())
            && adapted == u.adapted
            && seenItems.equals(u.seenItems)
            && unknownItems.equals(u.unknownItems)
            && ratingsUsed == u.ratingsUsed
            && unknownFeatureValues == u.unknownFeatureValues;
    }

    @Override
    public int hashCode() {
        return Objects.hash(served, Arrays.hashCode(state.weights()), seenItems);
    }
}

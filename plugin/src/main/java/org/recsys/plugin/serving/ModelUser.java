package org.recsys.plugin.serving;

import org.apache.lucene.index.LeafReader;
import org.elasticsearch.common.io.stream.NamedWriteable;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.xcontent.ToXContentFragment;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A user as one served model version sees them, resolved once on the coordinating node and sent to the shards,
 * where it scores any item of the model's item index from Lucene's per-segment data. Every model type has one:
 * {@code knn} takes its query vector, the {@code recsys} rescorer and {@code _recommend} its item scores.
 * {@code toXContent} writes what {@code POST _recsys/models/{id}/_user} answers.
 */
public interface ModelUser extends NamedWriteable, ToXContentFragment {

    /** The served version the user was resolved against: its model, version, item index and fields. */
    VersionFields served();

    default String modelId() {
        return served().modelId();
    }

    default long version() {
        return served().version();
    }

    /** The index whose documents the model scores. */
    default String itemIndex() {
        return served().itemIndex();
    }

    /** How the user was resolved, as {@code _recommend} reports it: {@code stored}, {@code folded_in}, ... */
    String source();

    /** The user's own items, which recommendations leave out. */
    List<String> seenItems();

    /** Items of the request's history that the model does not know (skipped). */
    List<String> unknownItems();

    /** The vector a {@code knn} search on {@link #queryField()} takes for this user, or null when the model has none. */
    @Nullable
    float[] queryVector();

    /** The dense_vector field {@link #queryVector()} is searched on, or null with no query vector. */
    @Nullable
    String queryField();

    /** The mean text vector of the user's items at unit length, when the model keeps one; else null. */
    @Nullable
    default float[] contentProfile() {
        return null;
    }

    /** The items' text vector field {@link #contentProfile()} was made from, or null. */
    @Nullable
    default String contentField() {
        return null;
    }

    /** The items' field holding their number of users in the model's interactions (for popularity), or null. */
    @Nullable
    default String countField() {
        return null;
    }

    /** The learned fusion stored with the version ({@code FusionNet.toFloats}), or null when it has none. */
    @Nullable
    default float[] learnedFusion() {
        return null;
    }

    /** What {@code _recommend} reports of the user besides {@link #source()}, by model type (e.g. whether MeLU adapted, what a sequential model read). */
    default Map<String, Object> details() {
        return Map.of();
    }

    /**
     * Items whose model score {@link #scorer} raises above what {@code knn} on {@link #queryField()} ranks by, with
     * the term added (a sequential model's transition term): candidates a ranking must consider besides the knn's.
     */
    default Map<String, Float> itemTerms() {
        return Map.of();
    }

    /** Checks on a shard that the index maps what {@link #scorer} reads; an {@link IllegalArgumentException} names it. */
    void checkMapping(SearchExecutionContext context);

    /** The model's scores for the documents of one segment. */
    ItemScorer scorer(LeafReader reader) throws IOException;

    /** The user types of every model type, for the transport layer. */
    static List<NamedWriteableRegistry.Entry> namedWriteables() {
        return List.of(
            new NamedWriteableRegistry.Entry(ModelUser.class, UserVector.NAME, UserVector::new),
            new NamedWriteableRegistry.Entry(ModelUser.class, MeluUser.NAME, MeluUser::new)
        );
    }
}

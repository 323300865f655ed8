package org.recsys.ingest;

import org.elasticsearch.core.Nullable;
import org.recsys.core.projection.Projection;

import java.util.function.BiConsumer;

/**
 * The projections of the versions that models serve, as the {@code wals_projection} processor needs them;
 * implemented by the plugin over its model store. Answers may come on another thread.
 */
public interface ServedProjections {

    /**
     * The served projection of a model and where its factors go.
     *
     * @param textField   the item field the projection was fitted from
     * @param targetField the served slot's factor field
     * @param sourceField the served slot's {@code trained}/{@code projected} field
     * @param projectedField the served slot's field for projected factors alone, when the version has one
     * @param factorField the field whose vector, when a document has one, is its factor instead of the projection (the
     *                    version's {@code projection.factor_field}: a fine-tuned encoder's output), or null
     * @param idField     the served slot's field that keeps the document's {@code _id} in doc values, when the version has one
     */
    record Served(
        long version,
        Projection projection,
        String textField,
        String targetField,
        String sourceField,
        @Nullable String projectedField,
        @Nullable String factorField,
        @Nullable String idField
    ) {}

    /** Calls {@code done} with the model's served projection, or with a failure that says why there is none. */
    void served(String modelId, BiConsumer<Served, Exception> done);
}

package org.recsys.plugin.serving;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.recsys.plugin.training.FactorTarget;
import org.recsys.plugin.training.FactorWriter;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * What query-time code on any node needs of a served version of a model that scores items by their vectors: where
 * the items and their vectors are, the items' text field its content profiles were made from, the field holding
 * each item's number of users in the version's interactions, and the learned fusion stored with the version; with a
 * hybrid fusion, how many projected items join each window ({@code reserved}) and where they are searched: the field
 * that holds projected items' factors alone ({@code projectedField}), or, for a version trained before there was
 * one, the keyword field that says whether an item's factor is {@code projected} ({@code sourceField}); the field
 * whose doc values give each item's id for an answer ({@code itemIdField}: the items' own id field, or the copy of
 * {@code _id} the version wrote; null reads {@code _id} from stored fields); and the field whose values are the
 * model's item ids, which queries for given items match ({@code itemKeyField}: {@code _id} or the items' id field).
 */
public record VersionFields(
    String modelId,
    long version,
    String itemIndex,
    String itemField,
    @Nullable String contentField,
    @Nullable String countField,
    @Nullable float[] learnedFusion,
    @Nullable String sourceField,
    @Nullable String projectedField,
    int reserved,
    @Nullable String itemIdField,
    String itemKeyField
) implements Writeable {

    public VersionFields(StreamInput in) throws IOException {
        this(
            in.readString(),
            in.readVLong(),
            in.readString(),
            in.readString(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readOptionalFloatArray(),
            in.readOptionalString(),
            in.readOptionalString(),
            in.readVInt(),
            in.readOptionalString(),
            in.readString()
        );
    }

    /**
     * Where an answer reads its items' ids: the items' own id field when it is not {@code _id}, else the copy of
     * {@code _id} a version's metrics name, or null for a version trained before there was one.
     */
    @Nullable
    static String itemIdField(FactorTarget items, Map<String, Object> metrics) {
        if (items.idIsDocumentId() == false) {
            return items.idField();
        }
        return metrics.get(FactorWriter.ITEM_ID_FIELD_METRIC) instanceof String field ? field : null;
    }

    /** A query for the documents of these model item ids. */
    public QueryBuilder itemsQuery(Collection<String> ids) {
        return FactorTarget.ID.equals(itemKeyField)
            ? QueryBuilders.idsQuery().addIds(ids.toArray(String[]::new))
            : QueryBuilders.termsQuery(itemKeyField, ids);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        out.writeVLong(version);
        out.writeString(itemIndex);
        out.writeString(itemField);
        out.writeOptionalString(contentField);
        out.writeOptionalString(countField);
        out.writeOptionalFloatArray(learnedFusion);
        out.writeOptionalString(sourceField);
        out.writeOptionalString(projectedField);
        out.writeVInt(reserved);
        out.writeOptionalString(itemIdField);
        out.writeString(itemKeyField);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionFields v
            && modelId.equals(v.modelId)
            && version == v.version
            && itemIndex.equals(v.itemIndex)
            && itemField.equals(v.itemField)
            && Objects.equals(contentField, v.contentField)
            && Objects.equals(countField, v.countField)
            && Arrays.equals(learnedFusion, v.learnedFusion)
            && Objects.equals(sourceField, v.sourceField)
            && Objects.equals(projectedField, v.projectedField)
            && reserved == v.reserved
            && Objects.equals(itemIdField, v.itemIdField)
            && itemKeyField.equals(v.itemKeyField);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, version, itemField);
    }
}

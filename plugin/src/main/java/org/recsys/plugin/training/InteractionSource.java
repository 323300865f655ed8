package org.recsys.plugin.training;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * Where interactions are read: an index, its user and item id fields (keyword or integer), an optional numeric
 * weight field (1 per interaction when absent), an optional timestamp field and an optional query selecting the
 * interactions. The query is kept as the JSON the user sent and handed to Elasticsearch as a wrapper query, so it
 * is parsed and validated by the shards exactly as in a search.
 */
public record InteractionSource(
    String index,
    String userField,
    String itemField,
    @Nullable String weightField,
    @Nullable String timestampField,
    @Nullable String queryJson
) implements Writeable, ToXContentFragment {

    static final Set<String> FIELDS = Set.of("index", "user_field", "item_field", "weight_field", "timestamp_field", "query");

    public static InteractionSource parse(RequestBody body) {
        Map<String, Object> query = body.rawObject("query");
        return new InteractionSource(
            body.requiredString("index"),
            body.string("user_field", "user_id"),
            body.string("item_field", "item_id"),
            body.string("weight_field", null),
            body.string("timestamp_field", null),
            query == null ? null : toJson(query)
        );
    }

    /**
     * The same source with some parts replaced by {@code overrides} (index, fields, query); used by evaluation,
     * which reads held-out interactions shaped like the training ones.
     */
    public InteractionSource overriddenBy(RequestBody overrides) {
        Map<String, Object> query = overrides.rawObject("query");
        return new InteractionSource(
            overrides.requiredString("index"),
            overrides.string("user_field", userField),
            overrides.string("item_field", itemField),
            overrides.string("weight_field", weightField),
            overrides.string("timestamp_field", timestampField),
            query == null ? null : toJson(query)
        );
    }

    public InteractionSource(StreamInput in) throws IOException {
        this(in.readString(), in.readString(), in.readString(), in.readOptionalString(), in.readOptionalString(), in.readOptionalString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(index);
        out.writeString(userField);
        out.writeString(itemField);
        out.writeOptionalString(weightField);
        out.writeOptionalString(timestampField);
        out.writeOptionalString(queryJson);
    }

    public QueryBuilder query() {
        return queryJson == null ? QueryBuilders.matchAllQuery() : QueryBuilders.wrapperQuery(queryJson);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("index", index).field("user_field", userField).field("item_field", itemField);
        if (weightField != null) {
            builder.field("weight_field", weightField);
        }
        if (timestampField != null) {
            builder.field("timestamp_field", timestampField);
        }
        if (queryJson != null) {
            builder.rawField("query", new java.io.ByteArrayInputStream(queryJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)), XContentType.JSON);
        }
        return builder;
    }

    private static String toJson(Map<String, Object> map) {
        try (XContentBuilder b = XContentFactory.jsonBuilder()) {
            return Strings.toString(b.map(map));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

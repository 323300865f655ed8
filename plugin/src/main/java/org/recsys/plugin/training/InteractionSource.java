package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;

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

    /** The {@code interactions} object, as {@code _train} and {@code _evaluate} read it. */
    public static final ObjectParser<Builder, Void> PARSER = new ObjectParser<>("interactions", Builder::new);
    static {
        PARSER.declareString((b, v) -> b.index = BodyParsing.nonEmpty("interactions.index", v), new ParseField("index"));
        PARSER.declareString((b, v) -> b.userField = BodyParsing.nonEmpty("interactions.user_field", v), new ParseField("user_field"));
        PARSER.declareString((b, v) -> b.itemField = BodyParsing.nonEmpty("interactions.item_field", v), new ParseField("item_field"));
        PARSER
            .declareString((b, v) -> b.weightField = BodyParsing.nonEmpty("interactions.weight_field", v), new ParseField("weight_field"));
        PARSER.declareString(
            (b, v) -> b.timestampField = BodyParsing.nonEmpty("interactions.timestamp_field", v),
            new ParseField("timestamp_field")
        );
        PARSER.declareField((b, v) -> b.queryJson = v, BodyParsing::objectAsJson, new ParseField("query"), ObjectParser.ValueType.OBJECT);
        PARSER.declareRequiredFieldSet("index");
    }

    /** The object as it was sent: null for each part it leaves out. */
    public static final class Builder {
        private String index;
        private String userField;
        private String itemField;
        private String weightField;
        private String timestampField;
        private String queryJson;

        public InteractionSource build() {
            return new InteractionSource(index, or(userField, "user_id"), or(itemField, "item_id"), weightField, timestampField, queryJson);
        }

        /**
         * The source shaped like {@code trained}, with the parts this object gives replaced (index, fields, query); used
         * by evaluation, which reads held-out interactions shaped like the training ones.
         */
        public InteractionSource overriding(InteractionSource trained) {
            return new InteractionSource(
                index,
                or(userField, trained.userField),
                or(itemField, trained.itemField),
                or(weightField, trained.weightField),
                or(timestampField, trained.timestampField),
                queryJson
            );
        }

        private static String or(String value, String otherwise) {
            return value == null ? otherwise : value;
        }
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
            builder.rawField(
                "query",
                new java.io.ByteArrayInputStream(queryJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                XContentType.JSON
            );
        }
        return builder;
    }
}

package org.recsys.plugin.serving;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.elasticsearch.xcontent.ConstructingObjectParser.constructorArg;
import static org.elasticsearch.xcontent.ConstructingObjectParser.optionalConstructorArg;

/**
 * Who recommendations are for, in the one shape every model type takes: a user id (the stored factor), the user's
 * history of items with optional weights, ratings and timestamps (folded in, or adapted to, at request time), and the
 * user's features by name (what a {@code melu} model embeds). Which parts a request needs depends on the model: a
 * {@code wals} model needs an id or a history (the history wins: it is the newest knowledge of the user); a
 * {@code melu} model adapts to the history's ratings and, without any, serves its unadapted model.
 * <pre>
 *   {"id": "u1"}
 *   {"history": [{"item": "i9", "weight": 1.0, "rating": 4, "timestamp": 1700000000}], "features": {"age": 24}}
 * </pre>
 */
public record UserSpec(@Nullable String id, List<HistoryItem> history, Map<String, List<String>> features)
    implements
        Writeable,
        ToXContentFragment {

    public static final int MAX_HISTORY = 10_000;

    /** One item of a history; {@code rating} is NaN and {@code timestamp} {@link Long#MIN_VALUE} when not given. */
    public record HistoryItem(String item, float weight, float rating, long timestamp) {

        static final ConstructingObjectParser<HistoryItem, Void> PARSER = new ConstructingObjectParser<>(
            "history",
            a -> new HistoryItem(
                (String) a[0],
                a[1] == null ? 1f : (Float) a[1],
                a[2] == null ? Float.NaN : (Float) a[2],
                a[3] == null ? Long.MIN_VALUE : (Long) a[3]
            )
        );
        static {
            PARSER.declareString(constructorArg(), new ParseField("item"));
            PARSER.declareFloat(optionalConstructorArg(), new ParseField("weight"));
            PARSER.declareFloat(optionalConstructorArg(), new ParseField("rating"));
            PARSER.declareLong(optionalConstructorArg(), new ParseField("timestamp"));
        }

        public HistoryItem {
            BodyParsing.nonEmpty("user.history.item", item);
            if (BodyParsing.finite("user.history.weight", weight) < 0) {
                throw new IllegalArgumentException("[user.history.weight] is [" + weight + "]; it must be >= 0");
            }
        }
    }

    /** The {@code user} object of a request, wherever it is sent ({@code _recommend}, {@code _user}, knn, rescorer). */
    public static final ObjectParser<Builder, Void> PARSER = new ObjectParser<>("user", Builder::new);
    static {
        PARSER.declareString((b, v) -> b.id = BodyParsing.nonEmpty("user.id", v), new ParseField("id"));
        PARSER.declareObjectArray((b, v) -> b.history = v, HistoryItem.PARSER, new ParseField("history"));
        PARSER.declareField((b, v) -> b.features = v, UserSpec::features, new ParseField("features"), ObjectParser.ValueType.OBJECT);
    }

    /** What {@link #PARSER} fills. */
    public static final class Builder {
        private String id;
        private List<HistoryItem> history = List.of();
        private Map<String, List<String>> features = Map.of();

        public UserSpec build() {
            return new UserSpec(id, history, features);
        }
    }

    public UserSpec {
        if (history.size() > MAX_HISTORY) {
            throw new IllegalArgumentException("[user.history] has " + history.size() + " items; at most " + MAX_HISTORY + " are accepted");
        }
    }

    public static UserSpec parse(XContentParser parser) throws IOException {
        return PARSER.parse(parser, null).build();
    }

    /** Feature name to values: a string, a number or a boolean is one value, an array of them several. */
    private static Map<String, List<String>> features(XContentParser parser) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            String name = parser.currentName();
            token = parser.nextToken();
            List<String> values = new ArrayList<>();
            if (token == XContentParser.Token.START_ARRAY) {
                while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
                    values.add(featureValue(parser, name));
                }
            } else if (token != XContentParser.Token.VALUE_NULL) {
                values.add(featureValue(parser, name));
            }
            out.put(name, values);
        }
        return out;
    }

    private static String featureValue(XContentParser parser, String name) throws IOException {
        if (parser.currentToken().isValue() == false) {
            parser.skipChildren();
            throw new XContentParseException(
                parser.getTokenLocation(),
                "[user.features." + name + "] must be a string, a number, a boolean or an array of them"
            );
        }
        return parser.text();
    }

    /** A {@code wals} model's needs: the stored factor of an id, or a history to fold in. */
    public void requireIdOrHistory(String modelId) {
        if (id == null && history.isEmpty()) {
            throw new IllegalArgumentException("[user] needs an [id] or a non-empty [history] for model [" + modelId + "]");
        }
    }

    public UserSpec(StreamInput in) throws IOException {
        this(
            in.readOptionalString(),
            in.readCollectionAsList(i -> new HistoryItem(i.readString(), i.readFloat(), i.readFloat(), i.readLong())),
            in.readMap(StreamInput::readStringCollectionAsList)
        );
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        if (id != null) {
            builder.field("id", id);
        }
        if (history.isEmpty() == false) {
            builder.startArray("history");
            for (HistoryItem h : history) {
                builder.startObject().field("item", h.item()).field("weight", h.weight());
                if (Float.isNaN(h.rating()) == false) {
                    builder.field("rating", h.rating());
                }
                if (h.timestamp() != Long.MIN_VALUE) {
                    builder.field("timestamp", h.timestamp());
                }
                builder.endObject();
            }
            builder.endArray();
        }
        if (features.isEmpty() == false) {
            builder.field("features", features);
        }
        return builder;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(id);
        out.writeCollection(history, (o, h) -> {
            o.writeString(h.item());
            o.writeFloat(h.weight());
            o.writeFloat(h.rating());
            o.writeLong(h.timestamp());
        });
        out.writeMap(features, StreamOutput::writeStringCollection);
    }
}

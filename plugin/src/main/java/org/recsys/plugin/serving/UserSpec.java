package org.recsys.plugin.serving;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
public record UserSpec(@Nullable String id, List<HistoryItem> history, Map<String, List<String>> features) implements Writeable, ToXContentFragment {

    public static final Set<String> FIELDS = Set.of("id", "history", "features");
    static final Set<String> ITEM_FIELDS = Set.of("item", "weight", "rating", "timestamp");
    public static final int MAX_HISTORY = 10_000;

    /** One item of a history; {@code rating} is NaN and {@code timestamp} {@link Long#MIN_VALUE} when not given. */
    public record HistoryItem(String item, float weight, float rating, long timestamp) {}

    public UserSpec {
        if (history.size() > MAX_HISTORY) {
            throw new IllegalArgumentException("[user.history] has " + history.size() + " items; at most " + MAX_HISTORY + " are accepted");
        }
    }

    public static UserSpec parse(RequestBody user) {
        List<HistoryItem> history = user.objects("history", ITEM_FIELDS).stream().map(item -> {
            float weight = item.number("weight", 1f);
            if (weight < 0) {
                throw new IllegalArgumentException("[" + item.name("weight") + "] is [" + weight + "]; it must be >= 0");
            }
            return new HistoryItem(item.requiredString("item"), weight, item.number("rating", Float.NaN), item.longValue("timestamp", Long.MIN_VALUE));
        }).toList();
        return new UserSpec(user.string("id", null), history, features(user));
    }

    /** Feature name to values: a string, a number or a boolean is one value, an array of them several. */
    private static Map<String, List<String>> features(RequestBody user) {
        Map<String, Object> raw = user.rawObject("features");
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            Object value = e.getValue();
            List<?> values = value == null ? List.of() : value instanceof List<?> list ? list : List.of(value);
            List<String> text = new ArrayList<>(values.size());
            for (Object v : values) {
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    text.add(v.toString());
                } else {
                    throw new IllegalArgumentException(
                        "[" + user.name("features") + "." + e.getKey() + "] must be a string, a number, a boolean or an array of them, got [" + value + "]"
                    );
                }
            }
            out.put(e.getKey(), text);
        }
        return out;
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

package org.recsys.plugin.serving;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Who recommendations are for, in the one shape every model type takes: a user id (the stored factor), or the
 * user's history of items with optional weights, ratings and timestamps (folded in at request time), or both (the
 * history wins: it is the newest knowledge of the user).
 * <pre>
 *   {"id": "u1"}
 *   {"history": [{"item": "i9", "weight": 1.0, "rating": 4, "timestamp": 1700000000}]}
 * </pre>
 */
public record UserSpec(@Nullable String id, List<HistoryItem> history) implements Writeable, ToXContentFragment {

    public static final Set<String> FIELDS = Set.of("id", "history");
    static final Set<String> ITEM_FIELDS = Set.of("item", "weight", "rating", "timestamp");
    public static final int MAX_HISTORY = 10_000;

    /** One item of a history; {@code rating} is NaN and {@code timestamp} {@link Long#MIN_VALUE} when not given. */
    public record HistoryItem(String item, float weight, float rating, long timestamp) {}

    public UserSpec {
        if (id == null && history.isEmpty()) {
            throw new IllegalArgumentException("[user] needs an [id] or a non-empty [history]");
        }
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
        if (user.has("history") && history.isEmpty()) {
            throw new IllegalArgumentException("[" + user.name("history") + "] is empty; send at least one item, or only an [id]");
        }
        return new UserSpec(user.string("id", null), history);
    }

    public UserSpec(StreamInput in) throws IOException {
        this(in.readOptionalString(), in.readCollectionAsList(i -> new HistoryItem(i.readString(), i.readFloat(), i.readFloat(), i.readLong())));
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
    }
}

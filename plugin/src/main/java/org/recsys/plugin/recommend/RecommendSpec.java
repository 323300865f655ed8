package org.recsys.plugin.recommend;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.recsys.plugin.serving.UserSpec;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code _recommend}, one shape for every model type:
 * {@code {"user": {...}, "k": 10, "num_candidates": 100, "filter": {<query>}, "exclude_seen": true,
 * "fields": ["title"], "explain": false}}.
 */
public record RecommendSpec(
    UserSpec user,
    int k,
    int numCandidates,
    @Nullable String filterJson,
    boolean excludeSeen,
    List<String> fields,
    boolean explain
) implements Writeable {

    static final Set<String> FIELDS = Set.of("user", "k", "num_candidates", "filter", "exclude_seen", "fields", "explain");
    public static final int MAX_K = 1_000;
    public static final int MAX_CANDIDATES = 10_000;

    public RecommendSpec {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("[k] is [" + k + "]; it must be between 1 and " + MAX_K);
        }
        if (numCandidates < k || numCandidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException(
                "[num_candidates] is [" + numCandidates + "]; it must be at least [k] (" + k + ") and at most " + MAX_CANDIDATES
            );
        }
    }

    public static RecommendSpec parse(Map<String, Object> map) {
        RequestBody body = RequestBody.of(map, FIELDS);
        int k = body.integer("k", 10);
        Map<String, Object> filter = body.rawObject("filter");
        List<String> fields = body.strings("fields");
        return new RecommendSpec(
            UserSpec.parse(body.requiredObject("user", UserSpec.FIELDS)),
            k,
            body.integer("num_candidates", Math.max(100, 10 * k)),
            filter == null ? null : json(filter),
            body.bool("exclude_seen", true),
            fields,
            body.bool("explain", false)
        );
    }

    public RecommendSpec(StreamInput in) throws IOException {
        this(
            new UserSpec(in),
            in.readVInt(),
            in.readVInt(),
            in.readOptionalString(),
            in.readBoolean(),
            in.readStringCollectionAsList(),
            in.readBoolean()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        user.writeTo(out);
        out.writeVInt(k);
        out.writeVInt(numCandidates);
        out.writeOptionalString(filterJson);
        out.writeBoolean(excludeSeen);
        out.writeStringCollection(fields);
        out.writeBoolean(explain);
    }

    private static String json(Map<String, Object> map) {
        try (XContentBuilder b = XContentFactory.jsonBuilder()) {
            return Strings.toString(b.map(map));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

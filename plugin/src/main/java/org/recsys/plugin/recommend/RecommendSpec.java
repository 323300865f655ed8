package org.recsys.plugin.recommend;

import org.elasticsearch.common.Strings;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.recsys.plugin.rescore.FusionRequest;
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
 * "fields": ["title"], "explain": false, "fusion": {"weights": [...], "text_field": ..., "window_size": ...}}}; with
 * {@code fusion}, the {@code recsys} rescorer re-ranks the first {@code window_size} candidates.
 */
public record RecommendSpec(
    UserSpec user,
    int k,
    int numCandidates,
    @Nullable String filterJson,
    boolean excludeSeen,
    List<String> fields,
    boolean explain,
    @Nullable FusionRequest fusion,
    int windowSize
) implements Writeable {

    static final Set<String> FIELDS = Set.of("user", "k", "num_candidates", "filter", "exclude_seen", "fields", "explain", "fusion");
    static final Set<String> FUSION_FIELDS = Set.of("type", "weights", "text_field", "content_vector", "popularity_field", "models", "window_size");
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
        if (fusion != null && (windowSize < k || windowSize > numCandidates)) {
            throw new IllegalArgumentException(
                "[fusion.window_size] is [" + windowSize + "]; it must be at least [k] (" + k + ") and at most [num_candidates] (" + numCandidates + ")"
            );
        }
    }

    public static RecommendSpec parse(Map<String, Object> map) {
        RequestBody body = RequestBody.of(map, FIELDS);
        int k = body.integer("k", 10);
        Map<String, Object> filter = body.rawObject("filter");
        List<String> fields = body.strings("fields");
        int numCandidates = body.integer("num_candidates", Math.max(100, 10 * k));
        FusionRequest fusion = null;
        int window = 0;
        if (body.has("fusion")) {
            RequestBody f = body.object("fusion", FUSION_FIELDS);
            fusion = FusionRequest.parse(body.rawObject("fusion"), "fusion");
            window = f.integer("window_size", Math.min(numCandidates, 10 * k));
        }
        return new RecommendSpec(
            UserSpec.parse(body.requiredObject("user", UserSpec.FIELDS)),
            k,
            numCandidates,
            filter == null ? null : json(filter),
            body.bool("exclude_seen", true),
            fields,
            body.bool("explain", false),
            fusion,
            window
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
            in.readBoolean(),
            in.readOptionalWriteable(FusionRequest::new),
            in.readVInt()
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
        out.writeOptionalWriteable(fusion);
        out.writeVInt(windowSize);
    }

    private static String json(Map<String, Object> map) {
        try (XContentBuilder b = XContentFactory.jsonBuilder()) {
            return Strings.toString(b.map(map));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

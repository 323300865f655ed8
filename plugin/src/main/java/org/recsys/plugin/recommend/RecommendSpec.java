package org.recsys.plugin.recommend;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.rescore.FusionRequest;
import org.recsys.plugin.serving.UserSpec;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.List;

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

    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>("recommend", Body::new);
    private static final ObjectParser<Fusion, Void> FUSION = new ObjectParser<>("fusion", Fusion::new);
    static {
        PARSER.declareObject((b, v) -> b.user = v, UserSpec.PARSER, new ParseField("user"));
        PARSER.declareInt((b, v) -> b.k = v, new ParseField("k"));
        PARSER.declareInt((b, v) -> b.numCandidates = v, new ParseField("num_candidates"));
        PARSER.declareField((b, v) -> b.filterJson = v, BodyParsing::objectAsJson, new ParseField("filter"), ObjectParser.ValueType.OBJECT);
        PARSER.declareBoolean((b, v) -> b.excludeSeen = v, new ParseField("exclude_seen"));
        PARSER.declareStringArray((b, v) -> b.fields = v, new ParseField("fields"));
        PARSER.declareBoolean((b, v) -> b.explain = v, new ParseField("explain"));
        PARSER.declareObject((b, v) -> b.fusion = v, FUSION, new ParseField("fusion"));
        PARSER.declareRequiredFieldSet("user");
        FUSION.declareInt((f, v) -> f.windowSize = v, new ParseField("window_size"));
        FusionRequest.declareFields(FUSION, f -> f.request);
    }

    /** The body as {@link #PARSER} reads it; defaults that depend on other fields are set by {@link #parse}. */
    private static final class Body {
        private UserSpec.Builder user;
        private int k = 10;
        private Integer numCandidates;
        private String filterJson;
        private boolean excludeSeen = true;
        private List<String> fields = List.of();
        private boolean explain;
        private Fusion fusion;
    }

    private static final class Fusion {
        private Integer windowSize;
        private final FusionRequest.Builder request = new FusionRequest.Builder();
    }

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
                "[fusion.window_size] is ["
                    + windowSize
                    + "]; it must be at least [k] ("
                    + k
                    + ") and at most [num_candidates] ("
                    + numCandidates
                    + ")"
            );
        }
    }

    public static RecommendSpec parse(XContentParser parser) throws IOException {
        Body body = PARSER.parse(parser, null);
        int numCandidates = body.numCandidates == null ? Math.max(100, 10 * body.k) : body.numCandidates;
        FusionRequest fusion = null;
        int window = 0;
        if (body.fusion != null) {
            fusion = body.fusion.request.build("fusion");
            window = body.fusion.windowSize == null ? Math.min(numCandidates, 10 * body.k) : body.fusion.windowSize;
        }
        return new RecommendSpec(
            body.user.build(),
            body.k,
            numCandidates,
            body.filterJson,
            body.excludeSeen,
            body.fields,
            body.explain,
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
}

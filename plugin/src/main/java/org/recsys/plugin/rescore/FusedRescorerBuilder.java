package org.recsys.plugin.rescore;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionFeatures;
import org.recsys.plugin.action.UserVectorAction;
import org.recsys.plugin.serving.UserSpec;
import org.recsys.plugin.serving.UserVector;
import org.recsys.plugin.util.RequestBody;
import org.recsys.plugin.util.SourceVectors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code recsys} rescorer:
 * <pre>
 *   "rescore": {"window_size": 100, "recsys": {"model": "m", "user": {"id": "u1"}, "weights": [1, 0.2, 0.05, 0],
 *              "text_field": "text_vector", "popularity_field": "interactions"}}
 * </pre>
 * The user is resolved in the coordinating node's rewrite phase (the same transport action as {@code recsys_user}),
 * with their content profile (the mean of their items' text vectors, or {@code content_vector}); the shards get the
 * resolved vectors and never resolve anything.
 */
public final class FusedRescorerBuilder extends RescorerBuilder<FusedRescorerBuilder> {

    public static final String NAME = "recsys";
    static final Set<String> FIELDS = Set.of("model", "user", "weights", "text_field", "content_vector", "popularity_field");

    private final String modelId;
    private final UserSpec user;
    private final FusionRequest fusion;
    @Nullable
    private final ResolvedUser resolved;
    @Nullable
    private final Supplier<ResolvedUser> pending;

    public FusedRescorerBuilder(String modelId, UserSpec user, FusionRequest fusion) {
        this(modelId, user, fusion, null, null);
    }

    private FusedRescorerBuilder(String modelId, UserSpec user, FusionRequest fusion, ResolvedUser resolved, Supplier<ResolvedUser> pending) {
        this.modelId = modelId;
        this.user = user;
        this.fusion = fusion;
        this.resolved = resolved;
        this.pending = pending;
    }

    public FusedRescorerBuilder(StreamInput in) throws IOException {
        super(in);
        this.modelId = in.readString();
        this.user = new UserSpec(in);
        this.fusion = new FusionRequest(in);
        this.resolved = in.readOptionalWriteable(ResolvedUser::new);
        this.pending = null;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (pending != null) {
            throw new IllegalStateException("the [recsys] rescorer must be rewritten before it is sent to the shards");
        }
        out.writeString(modelId);
        user.writeTo(out);
        fusion.writeTo(out);
        out.writeOptionalWriteable(resolved);
    }

    public static FusedRescorerBuilder fromXContent(XContentParser parser) throws IOException {
        Map<String, Object> map = parser.map();
        RequestBody body = RequestBody.of(map, FIELDS);
        UserSpec user = UserSpec.parse(body.requiredObject("user", UserSpec.FIELDS));
        return new FusedRescorerBuilder(body.requiredString("model"), user, FusionRequest.parse(map, "recsys"));
    }

    /** A window smaller than the page would leave hits of the page unfused, ranked by a score on another scale. */
    @Override
    public org.elasticsearch.action.ActionRequestValidationException validate(
        org.elasticsearch.search.builder.SearchSourceBuilder source,
        org.elasticsearch.action.ActionRequestValidationException e
    ) {
        int window = windowSize == null ? DEFAULT_WINDOW_SIZE : windowSize;
        int size = source.size() < 0 ? 10 : source.size();
        int from = Math.max(0, source.from());
        if (window < from + size) {
            e = org.elasticsearch.action.ValidateActions.addValidationError(
                "[recsys] rescore [window_size] is [" + window + "] but the search asks for hits up to [" + (from + size)
                    + "] (from + size); the window must be at least that",
                e
            );
        }
        return e;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME).field("model", modelId).startObject("user");
        user.toXContent(builder, params);
        builder.endObject().array("weights", fusion.weights());
        if (fusion.textField() != null) {
            builder.field("text_field", fusion.textField());
        }
        if (fusion.contentVector() != null) {
            builder.array("content_vector", fusion.contentVector());
        }
        if (fusion.popularityField() != null) {
            builder.field("popularity_field", fusion.popularityField());
        }
        builder.endObject();
    }

    @Override
    public RescorerBuilder<FusedRescorerBuilder> rewrite(QueryRewriteContext ctx) {
        if (resolved != null) {
            return this;
        }
        if (pending != null) {
            ResolvedUser done = pending.get();
            return done == null ? this : copy(done, null);
        }
        org.apache.lucene.util.SetOnce<ResolvedUser> result = new org.apache.lucene.util.SetOnce<>();
        ctx.registerAsyncAction((client, listener) -> resolve(client, ActionListener.wrap(r -> {
            result.set(r);
            listener.onResponse(null);
        }, listener::onFailure)));
        return copy(null, result::get);
    }

    private FusedRescorerBuilder copy(ResolvedUser r, Supplier<ResolvedUser> p) {
        FusedRescorerBuilder b = new FusedRescorerBuilder(modelId, user, fusion, r, p);
        if (windowSize != null) {
            b.windowSize(windowSize);
        }
        return b;
    }

    /** The user's vector, then (when content counts and no profile is given) their items' text vectors, by one multi-get. */
    private void resolve(Client client, ActionListener<ResolvedUser> listener) {
        client.execute(UserVectorAction.TYPE, new UserVectorAction.Request(modelId, user), listener.delegateFailureAndWrap((l, response) -> {
            UserVector v = response.vector();
            if (fusion.contentVector() != null || fusion.textField() == null || v.seenItems().isEmpty()) {
                float[] profile = fusion.contentVector() == null ? null : FusionFeatures.unit(fusion.contentVector().clone());
                l.onResponse(new ResolvedUser(v.version(), v.itemField(), v.vector(), profile));
                return;
            }
            MultiGetRequest get = new MultiGetRequest();
            FetchSourceContext only = FetchSourceContext.of(true, new String[] { fusion.textField() }, null);
            for (String item : v.seenItems()) {
                get.add(new MultiGetRequest.Item(v.itemIndex(), item).fetchSourceContext(only));
            }
            client.multiGet(get, l.delegateFailureAndWrap((l2, items) -> {
                List<float[]> texts = new ArrayList<>();
                for (MultiGetItemResponse item : items.getResponses()) {
                    if (item.isFailed() == false && item.getResponse().isExists()) {
                        float[] t = textVector(item.getResponse().getSourceAsMap());
                        if (t != null) {
                            texts.add(t);
                        }
                    }
                }
                l2.onResponse(new ResolvedUser(v.version(), v.itemField(), v.vector(), FusionFeatures.contentProfile(texts)));
            }));
        }));
    }

    private float[] textVector(Map<String, Object> source) {
        Object value = org.elasticsearch.common.xcontent.support.XContentMapValues.extractValue(fusion.textField(), source);
        return value instanceof List<?> list ? SourceVectors.read(source, fusion.textField(), list.size()) : null;
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, SearchExecutionContext context) {
        if (resolved == null) {
            throw new IllegalStateException("the [recsys] rescorer was not rewritten on the coordinating node");
        }
        checkVectorField(context, resolved.itemField(), "the model's item factor field");
        if (fusion.textField() != null) {
            checkVectorField(context, fusion.textField(), "[recsys.text_field]");
        }
        if (fusion.popularityField() != null) {
            MappedFieldType type = context.getFieldType(fusion.popularityField());
            if (type == null || type.hasDocValues() == false || ("long".equals(type.typeName()) || "integer".equals(type.typeName())) == false) {
                throw new IllegalArgumentException(
                    "[recsys.popularity_field] [" + fusion.popularityField() + "] is " + (type == null ? "not mapped" : "of type [" + type.typeName() + "]")
                        + "; expected a [long] or [integer] field with doc values holding each item's interaction count"
                );
            }
        }
        return new FusedRescoreContext(windowSize, resolved, fusion);
    }

    private static void checkVectorField(SearchExecutionContext context, String field, String what) {
        MappedFieldType type = context.getFieldType(field);
        if (type instanceof DenseVectorFieldMapper.DenseVectorFieldType == false || type.isIndexed() == false) {
            throw new IllegalArgumentException(
                what + " [" + field + "] is " + (type == null ? "not mapped" : "of type [" + type.typeName() + "]")
                    + " in this index; the [recsys] rescorer needs an indexed [dense_vector] field"
            );
        }
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.zero();
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o)
            && o instanceof FusedRescorerBuilder b
            && modelId.equals(b.modelId)
            && user.equals(b.user)
            && fusion.equals(b.fusion)
            && Objects.equals(resolved, b.resolved)
            && pending == b.pending;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), modelId, user, fusion, resolved);
    }
}

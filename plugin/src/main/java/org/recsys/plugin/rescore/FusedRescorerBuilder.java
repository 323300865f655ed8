package org.recsys.plugin.rescore;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.serving.IndexedVectorReader;
import org.recsys.plugin.serving.ModelUser;
import org.recsys.plugin.serving.UserSpec;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code recsys} rescorer:
 * <pre>
 *   "rescore": {"window_size": 100, "recsys": {"model": "m", "user": {"id": "u1"}, "weights": [1, 0.2, 0.05, 0],
 *              "text_field": "text_vector", "popularity_field": "interactions"}}
 * </pre>
 * The user is resolved in the coordinating node's rewrite phase ({@link FusionUsers}: the same transport action as
 * {@code recsys_user}, for the model and for each of {@code models}), with their content profile; the shards get
 * the resolved user and never resolve anything.
 */
public final class FusedRescorerBuilder extends RescorerBuilder<FusedRescorerBuilder> {

    public static final String NAME = "recsys";
    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>(NAME, Body::new);
    static {
        PARSER.declareString((b, v) -> b.model = v, new ParseField("model"));
        PARSER.declareObject((b, v) -> b.user = v, UserSpec.PARSER, new ParseField("user"));
        FusionRequest.declareFields(PARSER, b -> b.fusion);
        PARSER.declareRequiredFieldSet("model");
        PARSER.declareRequiredFieldSet("user");
    }

    /** The rescorer's body as {@link #PARSER} reads it. */
    private static final class Body {
        private String model;
        private UserSpec.Builder user;
        private final FusionRequest.Builder fusion = new FusionRequest.Builder();
    }

    private final String modelId;
    private final UserSpec user;
    private final FusionRequest fusion;
    @Nullable
    private final ResolvedUser resolved;
    @Nullable
    private final Supplier<ResolvedUser> pending;
    /** Set by {@code _recommend} only (never in a search body): the hybrid fusion's candidates among the window's hits. */
    @Nullable
    private final HybridWindow hybridWindow;

    public FusedRescorerBuilder(String modelId, UserSpec user, FusionRequest fusion) {
        this(modelId, user, fusion, null, null, null);
    }

    /**
     * For a caller that has already resolved the user against the model ({@code _recommend}): the rest (content
     * profile, other models) is resolved now, so the search's rewrite has nothing left to do.
     *
     * @param hybridWindow above 0: the window's hits hold more than the hybrid fusion's candidates, which are this
     *                     many best by the model's score and the version's reserved projected items ({@link HybridWindow})
     */
    public static void forResolvedUser(
        Client client,
        UserSpec user,
        FusionRequest fusion,
        ModelUser model,
        int windowSize,
        int hybridWindow,
        ActionListener<FusedRescorerBuilder> listener
    ) {
        HybridWindow candidates = hybridWindow > 0 ? new HybridWindow(hybridWindow, model.served().reserved()) : null;
        FusionUsers.resolve(
            client,
            model.modelId(),
            user,
            fusion,
            model,
            listener.map(r -> new FusedRescorerBuilder(model.modelId(), user, fusion, r, null, candidates).windowSize(windowSize))
        );
    }

    private FusedRescorerBuilder(
        String modelId,
        UserSpec user,
        FusionRequest fusion,
        @Nullable ResolvedUser resolved,
        @Nullable Supplier<ResolvedUser> pending,
        @Nullable HybridWindow hybridWindow
    ) {
        this.modelId = modelId;
        this.user = user;
        this.fusion = fusion;
        this.resolved = resolved;
        this.pending = pending;
        this.hybridWindow = hybridWindow;
    }

    public FusedRescorerBuilder(StreamInput in) throws IOException {
        super(in);
        this.modelId = in.readString();
        this.user = new UserSpec(in);
        this.fusion = new FusionRequest(in);
        this.resolved = in.readOptionalWriteable(ResolvedUser::new);
        this.pending = null;
        this.hybridWindow = in.readBoolean() ? new HybridWindow(in.readVInt(), in.readVInt()) : null;
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
        out.writeBoolean(hybridWindow != null);
        if (hybridWindow != null) {
            out.writeVInt(hybridWindow.window());
            out.writeVInt(hybridWindow.reserved());
        }
    }

    public static FusedRescorerBuilder fromXContent(XContentParser parser) throws IOException {
        Body body = PARSER.parse(parser, null);
        return new FusedRescorerBuilder(body.model, body.user.build(), body.fusion.build(NAME));
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
                "[recsys] rescore [window_size] is ["
                    + window
                    + "] but the search asks for hits up to ["
                    + (from + size)
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
        builder.endObject();
        fusion.toXContent(builder, params);
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
        ctx.registerAsyncAction((client, listener) -> FusionUsers.resolve(client, modelId, user, fusion, null, ActionListener.wrap(r -> {
            result.set(r);
            listener.onResponse(null);
        }, listener::onFailure)));
        return copy(null, result::get);
    }

    private FusedRescorerBuilder copy(ResolvedUser r, Supplier<ResolvedUser> p) {
        FusedRescorerBuilder b = new FusedRescorerBuilder(modelId, user, fusion, r, p, hybridWindow);
        if (windowSize != null) {
            b.windowSize(windowSize);
        }
        return b;
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, SearchExecutionContext context) {
        if (resolved == null) {
            throw new IllegalStateException("the [recsys] rescorer was not rewritten on the coordinating node");
        }
        resolved.model().checkMapping(context);
        for (ModelUser other : resolved.others()) {
            other.checkMapping(context);
        }
        if (resolved.contentProfile() != null) {
            IndexedVectorReader.checkMapping(context, resolved.textField(), "the items' text vector field");
        }
        if (fusion.popularityField() != null) {
            MappedFieldType type = context.getFieldType(fusion.popularityField());
            if (type == null
                || type.hasDocValues() == false
                || ("long".equals(type.typeName()) || "integer".equals(type.typeName())) == false) {
                throw new IllegalArgumentException(
                    "[recsys.popularity_field] ["
                        + fusion.popularityField()
                        + "] is "
                        + (type == null ? "not mapped" : "of type [" + type.typeName() + "]")
                        + "; expected a [long] or [integer] field with doc values holding each item's interaction count"
                );
            }
        }
        return new FusedRescoreContext(windowSize, resolved, fusion, hybridWindow);
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
            && Objects.equals(hybridWindow, b.hybridWindow)
            && pending == b.pending;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), modelId, user, fusion, resolved, hybridWindow);
    }
}

package org.recsys.plugin.knn;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.TransportVersions;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.vectors.QueryVectorBuilder;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.serving.UserSpec;
import org.recsys.plugin.serving.UserVectorAction;
import org.recsys.plugin.store.ModelId;

import java.io.IOException;
import java.util.Objects;

import static org.elasticsearch.xcontent.ConstructingObjectParser.constructorArg;

/**
 * {@code "query_vector_builder": {"recsys_user": {"model": "ml", "user": {"id": "u1"}}}}: the query vector of a
 * {@code knn} search is a user's vector in the model's served version, the stored factor or the fold-in of a
 * history sent in the request, so a new user, or one whose newest interactions the model has not seen, is served at
 * once. The {@code knn} field must be the served item field ({@code GET _recsys/models/{id}} names it).
 */
public final class RecsysUserVectorBuilder implements QueryVectorBuilder {

    public static final String NAME = "recsys_user";
    private static final ConstructingObjectParser<RecsysUserVectorBuilder, Void> PARSER =
        new ConstructingObjectParser<>(NAME, a -> new RecsysUserVectorBuilder((String) a[0], ((UserSpec.Builder) a[1]).build()));
    static {
        PARSER.declareString(constructorArg(), new ParseField("model"));
        PARSER.declareObject(constructorArg(), UserSpec.PARSER, new ParseField("user"));
    }

    private final String modelId;
    private final UserSpec user;

    public RecsysUserVectorBuilder(String modelId, UserSpec user) {
        ModelId.validate(modelId);
        this.modelId = modelId;
        this.user = Objects.requireNonNull(user);
    }

    public RecsysUserVectorBuilder(StreamInput in) throws IOException {
        this(in.readString(), new UserSpec(in));
    }

    /** Named objects are handed over on their name; the parser steps to the object after it. */
    public static RecsysUserVectorBuilder fromXContent(XContentParser parser) {
        return PARSER.apply(parser, null);
    }

    @Override
    public void buildVector(Client client, ActionListener<float[]> listener) {
        client
            .execute(UserVectorAction.TYPE, new UserVectorAction.Request(modelId, user, false), listener.delegateFailureAndWrap((l, r) -> {
                float[] vector = r.user().queryVector();
                if (vector == null) {
                    l.onFailure(
                        new IllegalArgumentException(
                            "model ["
                                + modelId
                                + "] gives no query vector for [knn]; rank its items with the [recsys] rescorer or [_recommend]"
                        )
                    );
                } else {
                    l.onResponse(vector);
                }
            }));
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersions.V_8_11_X;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        user.writeTo(out);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject().field("model", modelId).startObject("user");
        user.toXContent(builder, params);
        return builder.endObject().endObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecsysUserVectorBuilder other && modelId.equals(other.modelId) && user.equals(other.user);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, user);
    }
}

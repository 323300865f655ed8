package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * A user as a model's served version sees them ({@link ModelUser}): what the {@code recsys_user} query vector
 * builder, the {@code recsys} rescorer and {@code _recommend} all ask for, so each resolves a user the same way.
 * It belongs to the serving layer, beside {@link UserVectors}, so that the callers above it (knn, rescore, recommend,
 * rest) reach it without a package cycle through {@code action}.
 */
public final class UserVectorAction {

    public static final ActionType<Response> TYPE = new ActionType<>("cluster:monitor/recsys/serve/user");

    private UserVectorAction() {}

    public static final class Request extends ActionRequest {
        private final String modelId;
        private final UserSpec user;
        private final boolean checkItemAccess;

        /** @param checkItemAccess whether the caller's read access to the item index is checked here (no search of it follows) */
        public Request(String modelId, UserSpec user, boolean checkItemAccess) {
            this.modelId = modelId;
            this.user = user;
            this.checkItemAccess = checkItemAccess;
        }

        Request(StreamInput in) throws IOException {
            super(in);
            this.modelId = in.readString();
            this.user = new UserSpec(in);
            this.checkItemAccess = in.readBoolean();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(modelId);
            user.writeTo(out);
            out.writeBoolean(checkItemAccess);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }
    }

    public static final class Response extends ActionResponse implements ToXContentObject {
        private final ModelUser user;

        public Response(ModelUser user) {
            this.user = user;
        }

        Response(StreamInput in) throws IOException {
            this.user = in.readNamedWriteable(ModelUser.class);
        }

        public ModelUser user() {
            return user;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeNamedWriteable(user);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            user.toXContent(builder, params);
            return builder.endObject();
        }
    }

    public static final class Transport extends HandledTransportAction<Request, Response> {
        private final UserVectors vectors;

        @Inject
        public Transport(TransportService transportService, ActionFilters actionFilters, UserVectors vectors) {
            // Every step is an asynchronous call or a cache hit; fold-in is a k×k solve.
            super(TYPE.name(), transportService, actionFilters, Request::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.vectors = vectors;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            if (request.checkItemAccess) {
                vectors.resolveForItemReader(request.modelId, request.user, listener.map(Response::new));
            } else {
                vectors.resolve(request.modelId, request.user, listener.map(Response::new));
            }
        }
    }
}

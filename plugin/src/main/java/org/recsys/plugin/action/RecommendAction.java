package org.recsys.plugin.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.recommend.RecommendSpec;
import org.recsys.plugin.recommend.Recommender;

import java.io.IOException;

/** {@code POST _recsys/models/{id}/_recommend}: a user's top k items of a model's served version. */
public final class RecommendAction {

    public static final ActionType<MapResponse> TYPE = new ActionType<>("cluster:monitor/recsys/serve/recommend");

    private RecommendAction() {}

    public static final class Request extends ActionRequest {
        private final String modelId;
        private final RecommendSpec spec;

        public Request(String modelId, RecommendSpec spec) {
            this.modelId = modelId;
            this.spec = spec;
        }

        Request(StreamInput in) throws IOException {
            super(in);
            this.modelId = in.readString();
            this.spec = new RecommendSpec(in);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(modelId);
            spec.writeTo(out);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }
    }

    public static final class Transport extends HandledTransportAction<Request, MapResponse> {
        private final Recommender recommender;

        @Inject
        public Transport(TransportService transportService, ActionFilters actionFilters, Recommender recommender) {
            super(TYPE.name(), transportService, actionFilters, Request::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.recommender = recommender;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<MapResponse> listener) {
            recommender.recommend(request.modelId, request.spec, listener.map(MapResponse::new));
        }
    }
}

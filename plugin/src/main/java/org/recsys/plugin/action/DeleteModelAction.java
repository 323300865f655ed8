package org.recsys.plugin.action;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.action.support.master.AcknowledgedResponse;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.training.WalsTraining;

import java.io.IOException;

/**
 * {@code DELETE _recsys/models/{id}}: removes the model and all its versions from the store. The vector fields stay
 * in the item and user mappings (Elasticsearch cannot remove a mapped field); a model of the same id trained later
 * overwrites them.
 */
public final class DeleteModelAction {

    public static final ActionType<AcknowledgedResponse> TYPE = new ActionType<>("cluster:admin/recsys/model/delete");

    private DeleteModelAction() {}

    public static final class Request extends ActionRequest {
        private final String id;

        public Request(String id) {
            this.id = id;
        }

        Request(StreamInput in) throws IOException {
            super(in);
            this.id = in.readString();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(id);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }
    }

    public static final class Transport extends HandledTransportAction<Request, AcknowledgedResponse> {
        private final ModelStore store;
        private final WalsTraining training;

        @Inject
        public Transport(TransportService transportService, ActionFilters actionFilters, ThreadPool threadPool, ModelStore store, WalsTraining training) {
            super(TYPE.name(), transportService, actionFilters, Request::new, threadPool.generic());
            this.store = store;
            this.training = training;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<AcknowledgedResponse> listener) {
            ModelStore.Stored stored = store.requireModel(request.id);
            if (training.isTraining(stored.model())) {
                throw new ElasticsearchStatusException(
                    "model [" + request.id + "] is being trained by task [" + stored.model().training().taskId() + "]; cancel it first",
                    RestStatus.CONFLICT
                );
            }
            store.deleteModel(request.id);
            listener.onResponse(AcknowledgedResponse.TRUE);
        }
    }
}

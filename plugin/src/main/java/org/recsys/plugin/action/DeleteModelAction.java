package org.recsys.plugin.action;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.action.support.master.AcknowledgedResponse;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.training.ModelTraining;

/**
 * {@code DELETE _recsys/models/{id}}: removes the model and all its versions from the store. The vector fields stay
 * in the item and user mappings (Elasticsearch cannot remove a mapped field); a model of the same id trained later
 * overwrites them.
 */
public final class DeleteModelAction {

    public static final ActionType<AcknowledgedResponse> TYPE = new ActionType<>("cluster:admin/recsys/model/delete");

    private DeleteModelAction() {}

    public static final class Transport extends HandledTransportAction<IdRequest, AcknowledgedResponse> {
        private final ModelStore store;
        private final ModelTraining training;

        @Inject
        public Transport(
            TransportService transportService,
            ActionFilters actionFilters,
            ThreadPool threadPool,
            ModelStore store,
            ModelTraining training
        ) {
            super(TYPE.name(), transportService, actionFilters, IdRequest::new, threadPool.generic());
            this.store = store;
            this.training = training;
        }

        @Override
        protected void doExecute(Task task, IdRequest request, ActionListener<AcknowledgedResponse> listener) {
            ModelStore.Stored stored = store.requireModel(request.id());
            if (training.isTraining(stored.model())) {
                throw new ElasticsearchStatusException(
                    "model [" + request.id() + "] is being trained by task [" + stored.model().training().taskId() + "]; cancel it first",
                    RestStatus.CONFLICT
                );
            }
            store.deleteModel(request.id());
            training.switched(request.id());
            listener.onResponse(AcknowledgedResponse.TRUE);
        }
    }
}

package org.recsys.plugin.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.evaluation.ModelEvaluation;
import org.recsys.plugin.threadpool.RecsysPools;
import org.recsys.plugin.training.ModelTask;

import java.io.IOException;
import java.util.Map;

/** {@code POST _recsys/models/{id}/_evaluate}: a cancellable task on the training pool. */
public final class EvaluateModelAction {

    public static final ActionType<MapResponse> TYPE = new ActionType<>("cluster:monitor/recsys/model/evaluate");

    private EvaluateModelAction() {}

    public static final class Request extends ActionRequest {
        private final String id;
        private final Map<String, Object> body;

        public Request(String id, Map<String, Object> body) {
            this.id = id;
            this.body = body;
        }

        Request(StreamInput in) throws IOException {
            super(in);
            this.id = in.readString();
            this.body = in.readGenericMap();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(id);
            out.writeGenericMap(body);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }

        @Override
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new ModelTask(id, type, action, "evaluate model [" + this.id + "]", parentTaskId, headers);
        }
    }

    public static final class Transport extends HandledTransportAction<Request, MapResponse> {
        private final ModelEvaluation evaluation;

        @Inject
        public Transport(
            TransportService transportService,
            ActionFilters actionFilters,
            ThreadPool threadPool,
            ModelEvaluation evaluation
        ) {
            super(TYPE.name(), transportService, actionFilters, Request::new, threadPool.executor(RecsysPools.TRAINING));
            this.evaluation = evaluation;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<MapResponse> listener) {
            ActionListener.completeWith(listener, () -> new MapResponse(evaluation.run(request.id, request.body, (ModelTask) task)));
        }
    }
}

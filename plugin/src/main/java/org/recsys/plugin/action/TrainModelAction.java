package org.recsys.plugin.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionListenerResponseHandler;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportRequestOptions;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.threadpool.RecsysPools;
import org.recsys.plugin.training.ModelTask;
import org.recsys.plugin.training.ModelTraining;
import org.recsys.plugin.training.TrainingNodes;
import org.recsys.plugin.training.TrainingSpec;
import org.recsys.plugin.training.TrainingSpecs;

import java.io.IOException;
import java.util.Map;

/**
 * {@code POST _recsys/models/{id}/_train}: a cancellable task on the training pool of the node that received it when
 * that node may train ({@link TrainingNodes}), else a child task on one that may, which a cancel of the parent stops.
 */
public final class TrainModelAction {

    public static final ActionType<MapResponse> TYPE = new ActionType<>("cluster:admin/recsys/model/train");

    private TrainModelAction() {}

    public static final class Request extends ActionRequest {
        private final TrainingSpec spec;
        private boolean storeResult;

        public Request(TrainingSpec spec) {
            this.spec = spec;
        }

        Request(StreamInput in) throws IOException {
            super(in);
            this.spec = in.readNamedWriteable(TrainingSpec.class);
            this.storeResult = in.readBoolean();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeNamedWriteable(spec);
            out.writeBoolean(storeResult);
        }

        /** With {@code wait_for_completion=false}, the result is kept in the tasks index for {@code GET _tasks/{id}}. */
        public void storeResult(boolean storeResult) {
            this.storeResult = storeResult;
        }

        @Override
        public boolean getShouldStoreResult() {
            return storeResult;
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }

        @Override
        public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
            return new ModelTask(id, type, action, getDescription(), parentTaskId, headers);
        }

        @Override
        public String getDescription() {
            return "train model [" + spec.modelId() + "] from [" + spec.interactions().index() + "]";
        }
    }

    public static final class Transport extends HandledTransportAction<Request, MapResponse> {
        private final ModelTraining training;
        private final ClusterService clusterService;
        private final TransportService transportService;
        private final int allocatedProcessors;

        @Inject
        public Transport(
            TransportService transportService,
            ActionFilters actionFilters,
            ThreadPool threadPool,
            ClusterService clusterService,
            ModelTraining training
        ) {
            super(TYPE.name(), transportService, actionFilters, Request::new, threadPool.executor(RecsysPools.TRAINING));
            this.training = training;
            this.clusterService = clusterService;
            this.transportService = transportService;
            this.allocatedProcessors = EsExecutors.allocatedProcessors(clusterService.getSettings());
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<MapResponse> listener) {
            ModelTask modelTask = (ModelTask) task;
            DiscoveryNode target;
            try {
                target = TrainingNodes.choose(clusterService.state().nodes(), request.spec.modelId());
            } catch (RuntimeException e) {
                modelTask.claimed().onFailure(e);
                throw e;
            }
            if (target.equals(clusterService.localNode()) == false) {
                // The target claims the version; its refusals come back as this task's result.
                modelTask.claimed().onResponse(null);
                request.storeResult(false);
                transportService.sendChildRequest(
                    target,
                    TYPE.name(),
                    request,
                    task,
                    TransportRequestOptions.EMPTY,
                    new ActionListenerResponseHandler<>(listener, MapResponse::new, EsExecutors.DIRECT_EXECUTOR_SERVICE)
                );
                return;
            }
            try {
                TrainingSpecs.checkThreads(request.spec, allocatedProcessors);
            } catch (IllegalArgumentException e) {
                modelTask.claimed().onFailure(e);
                throw e;
            }
            String taskId = new TaskId(clusterService.localNode().getId(), task.getId()).toString();
            listener.onResponse(new MapResponse(training.run(request.spec, modelTask, taskId)));
        }
    }
}

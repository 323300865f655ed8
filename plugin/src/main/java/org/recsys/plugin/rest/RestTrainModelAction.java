package org.recsys.plugin.rest;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestActionListener;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.tasks.LoggingTaskListener;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.action.MapResponse;
import org.recsys.plugin.action.TrainModelAction;
import org.recsys.plugin.training.ModelTask;
import org.recsys.plugin.training.TrainingSpecs;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST _recsys/models/{id}/_train[?wait_for_completion=false]}. The body is parsed and checked here, so a
 * malformed request is a 400 even when the training itself runs in the background; with
 * {@code wait_for_completion=false} the answer is the task id once the training passed its checks and claimed its
 * version (a refusal or a conflict is answered as such), and {@code GET _tasks/{task}} has the result.
 */
public final class RestTrainModelAction extends BaseRestHandler {

    private final int defaultThreads;

    public RestTrainModelAction(int defaultThreads) {
        this.defaultThreads = defaultThreads;
    }

    @Override
    public String getName() {
        return "recsys_train_model";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/_recsys/models/{id}/_train"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        TrainModelAction.Request train =
            new TrainModelAction.Request(TrainingSpecs.parse(request.param("id"), request::contentParser, defaultThreads));
        if (request.paramAsBoolean("wait_for_completion", true)) {
            return channel -> client.execute(TrainModelAction.TYPE, train, new RestToXContentListener<>(channel));
        }
        train.storeResult(true);
        SubscribableListener<MapResponse> result = new SubscribableListener<>();
        ModelTask task = (ModelTask) client.executeLocally(TrainModelAction.TYPE, train, result);
        result.addListener(new LoggingTaskListener<>(task));
        // A training that never started (its pool's queue was full) never claims either.
        result.addListener(ActionListener.wrap(done -> {
        }, task.claimed()::onFailure));
        // Answer once the checks passed and the version is claimed, so a refused or concurrent training is a 4xx here.
        String taskId = client.getLocalNodeId() + ":" + task.getId();
        return channel -> task.claimed().addListener(new RestActionListener<>(channel) {
            @Override
            protected void processResponse(Void claimed) throws IOException {
                try (XContentBuilder builder = channel.newBuilder()) {
                    builder.startObject().field("task", taskId).endObject();
                    channel.sendResponse(new RestResponse(RestStatus.OK, builder));
                }
            }
        });
    }
}

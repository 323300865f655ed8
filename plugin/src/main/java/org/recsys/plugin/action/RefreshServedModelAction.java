package org.recsys.plugin.action;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.action.support.nodes.BaseNodeResponse;
import org.elasticsearch.action.support.nodes.BaseNodesRequest;
import org.elasticsearch.action.support.nodes.BaseNodesResponse;
import org.elasticsearch.action.support.nodes.TransportNodesAction;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportRequest;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.serving.ServedModels;

import java.io.IOException;
import java.util.List;

/**
 * Tells every node that a model's served version changed (a training switched it, or the model was deleted), so that
 * each drops what it cached of the model and reads the pointer again on the next request, instead of serving the old
 * version until {@code recsys.models.refresh_interval} runs out. A node that misses it still refreshes within that
 * interval.
 */
public final class RefreshServedModelAction {

    public static final String NAME = "internal:recsys/model/refresh";
    public static final ActionType<Response> TYPE = new ActionType<>(NAME);

    private RefreshServedModelAction() {}

    public static final class Request extends BaseNodesRequest<Request> {
        private final String modelId;

        public Request(String modelId) {
            super((String[]) null);
            this.modelId = modelId;
        }
    }

    static final class NodeRequest extends TransportRequest {
        private final String modelId;

        NodeRequest(String modelId) {
            this.modelId = modelId;
        }

        NodeRequest(StreamInput in) throws IOException {
            super(in);
            this.modelId = in.readString();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(modelId);
        }
    }

    static final class NodeResponse extends BaseNodeResponse {
        NodeResponse(DiscoveryNode node) {
            super(node);
        }

        NodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
            super(in, node);
        }
    }

    public static final class Response extends BaseNodesResponse<NodeResponse> {
        Response(ClusterName clusterName, List<NodeResponse> nodes, List<FailedNodeException> failures) {
            super(clusterName, nodes, failures);
        }

        @Override
        protected List<NodeResponse> readNodesFrom(StreamInput in) {
            return TransportAction.localOnly();
        }

        @Override
        protected void writeNodesTo(StreamOutput out, List<NodeResponse> nodes) {
            TransportAction.localOnly();
        }
    }

    public static final class Transport extends TransportNodesAction<Request, Response, NodeRequest, NodeResponse, Void> {
        private final ServedModels served;

        @Inject
        public Transport(
            TransportService transportService,
            ClusterService clusterService,
            ThreadPool threadPool,
            ActionFilters actionFilters,
            ServedModels served
        ) {
            super(NAME, clusterService, transportService, actionFilters, NodeRequest::new, threadPool.generic());
            this.served = served;
        }

        @Override
        protected Response newResponse(Request request, List<NodeResponse> responses, List<FailedNodeException> failures) {
            return new Response(clusterService.getClusterName(), responses, failures);
        }

        @Override
        protected NodeRequest newNodeRequest(Request request) {
            return new NodeRequest(request.modelId);
        }

        @Override
        protected NodeResponse newNodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
            return new NodeResponse(in, node);
        }

        @Override
        protected NodeResponse nodeOperation(NodeRequest request, Task task) {
            served.invalidate(request.modelId);
            return new NodeResponse(clusterService.localNode());
        }
    }
}

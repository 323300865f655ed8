package org.recsys.plugin.action;

import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.action.support.nodes.BaseNodeResponse;
import org.elasticsearch.action.support.nodes.BaseNodesRequest;
import org.elasticsearch.action.support.nodes.BaseNodesXContentResponse;
import org.elasticsearch.action.support.nodes.TransportNodesAction;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.collect.Iterators;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportRequest;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.encoder.EncoderRegistry;
import org.recsys.plugin.encoder.EncoderStats;
import org.recsys.plugin.serving.ServedModelStats;
import org.recsys.plugin.serving.ServedModels;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET _recsys/_stats[/{node_id}]}: what each node runs, as {@code _nodes/stats} answers per node: its
 * encoders (loaded, model size, documents encoded, queue depth, rejections), the models it serves (version,
 * memory) and its trainings (running, finished).
 */
public final class RecsysStatsAction {

    public static final ActionType<Response> TYPE = new ActionType<>("cluster:monitor/recsys/stats");

    private RecsysStatsAction() {}

    public static final class Request extends BaseNodesRequest<Request> {
        /** The nodes to ask, in {@code _nodes}' syntax ({@code _local}, ids, names, ...); none asks every node. */
        public Request(String... nodeIds) {
            super(nodeIds);
        }
    }

    static final class NodeRequest extends TransportRequest {
        NodeRequest() {}

        NodeRequest(StreamInput in) throws IOException {
            super(in);
        }
    }

    public static final class NodeResponse extends BaseNodeResponse implements ToXContent {
        private final List<EncoderStats> encoders;
        private final Map<String, ServedModelStats> models;
        private final long trainingsRunning;
        private final long trainingsFinished;

        NodeResponse(DiscoveryNode node, List<EncoderStats> encoders, Map<String, ServedModelStats> models, long running, long finished) {
            super(node);
            this.encoders = encoders;
            this.models = models;
            this.trainingsRunning = running;
            this.trainingsFinished = finished;
        }

        NodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
            super(in, node);
            this.encoders = in.readCollectionAsList(EncoderStats::new);
            this.models = in.readImmutableMap(ServedModelStats::new);
            this.trainingsRunning = in.readVLong();
            this.trainingsFinished = in.readVLong();
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeCollection(encoders);
            out.writeMap(models, StreamOutput::writeWriteable);
            out.writeVLong(trainingsRunning);
            out.writeVLong(trainingsFinished);
        }

        public List<EncoderStats> encoders() {
            return encoders;
        }

        /** The encoders as an object by id. */
        public XContentBuilder encodersToXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            for (EncoderStats s : encoders) {
                builder.field(s.id());
                s.toXContent(builder, params);
            }
            return builder.endObject();
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("name", getNode().getName());
            builder.field("encoders");
            encodersToXContent(builder, params);
            builder.startObject("models");
            for (Map.Entry<String, ServedModelStats> m : models.entrySet()) {
                builder.field(m.getKey());
                m.getValue().toXContent(builder, params);
            }
            builder.endObject();
            builder.startObject("trainings").field("running", trainingsRunning).field("finished", trainingsFinished).endObject();
            return builder.endObject();
        }
    }

    public static final class Response extends BaseNodesXContentResponse<NodeResponse> {
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

        @Override
        protected Iterator<? extends ToXContent> xContentChunks(ToXContent.Params outerParams) {
            return Iterators.concat(
                Iterators.single((b, p) -> b.startObject("nodes")),
                Iterators.map(getNodes().iterator(), n -> (b, p) -> b.field(n.getNode().getId()).value(n)),
                Iterators.single((b, p) -> b.endObject())
            );
        }
    }

    public static final class Transport extends TransportNodesAction<Request, Response, NodeRequest, NodeResponse, Void> {
        private final EncoderRegistry encoders;
        private final ServedModels served;
        private final TrainingTasks trainings;

        @Inject
        public Transport(
            TransportService transportService,
            ClusterService clusterService,
            ThreadPool threadPool,
            ActionFilters actionFilters,
            EncoderRegistry encoders,
            ServedModels served,
            TrainingTasks trainings
        ) {
            // Reading counters: cheap, so the management pool as for _nodes/stats.
            super(
                TYPE.name(),
                clusterService,
                transportService,
                actionFilters,
                NodeRequest::new,
                threadPool.executor(ThreadPool.Names.MANAGEMENT)
            );
            this.encoders = encoders;
            this.served = served;
            this.trainings = trainings;
        }

        @Override
        protected Response newResponse(Request request, List<NodeResponse> responses, List<FailedNodeException> failures) {
            return new Response(clusterService.getClusterName(), responses, failures);
        }

        @Override
        protected NodeRequest newNodeRequest(Request request) {
            return new NodeRequest();
        }

        @Override
        protected NodeResponse newNodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
            return new NodeResponse(in, node);
        }

        @Override
        protected NodeResponse nodeOperation(NodeRequest request, Task task) {
            return new NodeResponse(
                clusterService.localNode(),
                encoders.stats(),
                served.stats(),
                trainings.running(),
                trainings.finished()
            );
        }
    }
}

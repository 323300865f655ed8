package org.recsys.plugin.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.encoder.EncoderRegistry;
import org.recsys.plugin.encoder.EncoderStats;

import java.io.IOException;
import java.util.List;

/** {@code GET _recsys/encoders/_stats}: the counters of every registered encoder on the node that answers. */
public final class EncoderStatsAction {

    public static final ActionType<Response> TYPE = new ActionType<>("cluster:monitor/recsys/encoder/stats");

    private EncoderStatsAction() {}

    public static final class Request extends ActionRequest {
        public Request() {}

        Request(StreamInput in) throws IOException {
            super(in);
        }

        @Override
        public ActionRequestValidationException validate() {
            return null;
        }
    }

    public static final class Response extends ActionResponse implements ToXContentObject {
        private final String node;
        private final List<EncoderStats> stats;

        Response(String node, List<EncoderStats> stats) {
            this.node = node;
            this.stats = stats;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(node);
            out.writeCollection(stats);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("node", node).startObject("encoders");
            for (EncoderStats s : stats) {
                builder.field(s.id());
                s.toXContent(builder, params);
            }
            return builder.endObject().endObject();
        }
    }

    public static final class Transport extends HandledTransportAction<Request, Response> {
        private final EncoderRegistry registry;
        private final ClusterService clusterService;

        @Inject
        public Transport(TransportService transportService, ActionFilters actionFilters, EncoderRegistry registry, ClusterService clusterService) {
            super(TYPE.name(), transportService, actionFilters, Request::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.registry = registry;
            this.clusterService = clusterService;
        }

        @Override
        protected void doExecute(Task task, Request request, ActionListener<Response> listener) {
            listener.onResponse(new Response(clusterService.getNodeName(), registry.stats()));
        }
    }
}

package org.recsys.plugin.action;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.transport.TransportService;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.encoder.EncoderMetadata;
import org.recsys.plugin.encoder.EncoderRegistration;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET _recsys/encoders[/{id}]}: the registrations, from the cluster state this node holds. */
public final class GetEncodersAction {

    public static final ActionType<Response> TYPE = new ActionType<>("cluster:monitor/recsys/encoder/get");

    private GetEncodersAction() {}

    public static final class Response extends ActionResponse implements ToXContentObject {
        private final Map<String, EncoderRegistration> encoders;

        Response(Map<String, EncoderRegistration> encoders) {
            this.encoders = new TreeMap<>(encoders);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeMap(encoders, StreamOutput::writeWriteable);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().startObject("encoders");
            for (Map.Entry<String, EncoderRegistration> e : encoders.entrySet()) {
                builder.field(e.getKey());
                e.getValue().toXContent(builder, params);
            }
            return builder.endObject().endObject();
        }
    }

    public static final class Transport extends HandledTransportAction<IdRequest, Response> {
        private final ClusterService clusterService;

        @Inject
        public Transport(TransportService transportService, ActionFilters actionFilters, ClusterService clusterService) {
            super(TYPE.name(), transportService, actionFilters, IdRequest::new, EsExecutors.DIRECT_EXECUTOR_SERVICE);
            this.clusterService = clusterService;
        }

        @Override
        protected void doExecute(Task task, IdRequest request, ActionListener<Response> listener) {
            Map<String, EncoderRegistration> all = EncoderMetadata.of(clusterService.state().metadata()).encoders();
            if (request.id() == null) {
                listener.onResponse(new Response(all));
            } else if (all.containsKey(request.id())) {
                listener.onResponse(new Response(Map.of(request.id(), all.get(request.id()))));
            } else {
                listener.onFailure(new ResourceNotFoundException("encoder [" + request.id() + "] is not registered"));
            }
        }
    }
}

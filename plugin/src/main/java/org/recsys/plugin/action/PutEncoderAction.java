package org.recsys.plugin.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.master.AcknowledgedRequest;
import org.elasticsearch.action.support.master.AcknowledgedResponse;
import org.elasticsearch.action.support.master.AcknowledgedTransportMasterNodeAction;
import org.elasticsearch.cluster.AckedClusterStateUpdateTask;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.block.ClusterBlockException;
import org.elasticsearch.cluster.block.ClusterBlockLevel;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.encoder.EncoderMetadata;
import org.recsys.plugin.encoder.EncoderRegistration;
import org.recsys.plugin.encoder.EncoderRegistry;

import java.io.IOException;

/** {@code PUT _recsys/encoders/{id}}: loads the model once on the master to validate it, then registers it. */
public final class PutEncoderAction {

    public static final ActionType<AcknowledgedResponse> TYPE = new ActionType<>("cluster:admin/recsys/encoder/put");

    private PutEncoderAction() {}

    public static final class Request extends AcknowledgedRequest<Request> {
        private final EncoderRegistration registration;

        public Request(TimeValue masterNodeTimeout, TimeValue ackTimeout, EncoderRegistration registration) {
            super(masterNodeTimeout, ackTimeout);
            this.registration = registration;
        }

        Request(StreamInput in) throws IOException {
            super(in);
            this.registration = new EncoderRegistration(in);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            registration.writeTo(out);
        }
    }

    public static final class Transport extends AcknowledgedTransportMasterNodeAction<Request> {
        private final EncoderRegistry registry;

        @Inject
        public Transport(
            TransportService transportService,
            ClusterService clusterService,
            ThreadPool threadPool,
            ActionFilters actionFilters,
            EncoderRegistry registry
        ) {
            // Validation loads a model: the generic pool, not a transport thread.
            super(TYPE.name(), transportService, clusterService, threadPool, actionFilters, Request::new, threadPool.generic());
            this.registry = registry;
        }

        @Override
        @SuppressWarnings("deprecation")
        protected void masterOperation(Task task, Request request, ClusterState state, ActionListener<AcknowledgedResponse> listener) {
            registry.validate(request.registration);
            clusterService.submitUnbatchedStateUpdateTask(
                "put-recsys-encoder-" + request.registration.id(),
                new AckedClusterStateUpdateTask(request, listener) {
                    @Override
                    public ClusterState execute(ClusterState current) {
                        return EncoderMetadata.update(current, m -> m.with(request.registration));
                    }
                }
            );
        }

        @Override
        protected ClusterBlockException checkBlock(Request request, ClusterState state) {
            return state.blocks().globalBlockedException(ClusterBlockLevel.METADATA_WRITE);
        }
    }
}

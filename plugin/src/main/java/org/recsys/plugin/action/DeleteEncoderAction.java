package org.recsys.plugin.action;

import org.elasticsearch.ResourceNotFoundException;
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
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.encoder.EncoderMetadata;

import java.io.IOException;

/** {@code DELETE _recsys/encoders/{id}}: unregisters; every node then closes the loaded model. */
public final class DeleteEncoderAction {

    public static final ActionType<AcknowledgedResponse> TYPE = new ActionType<>("cluster:admin/recsys/encoder/delete");

    private DeleteEncoderAction() {}

    public static final class Request extends AcknowledgedRequest<Request> {
        private final String id;

        public Request(TimeValue masterNodeTimeout, TimeValue ackTimeout, String id) {
            super(masterNodeTimeout, ackTimeout);
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
    }

    public static final class Transport extends AcknowledgedTransportMasterNodeAction<Request> {
        @Inject
        public Transport(
            TransportService transportService,
            ClusterService clusterService,
            ThreadPool threadPool,
            ActionFilters actionFilters
        ) {
            super(
                TYPE.name(),
                transportService,
                clusterService,
                threadPool,
                actionFilters,
                Request::new,
                EsExecutors.DIRECT_EXECUTOR_SERVICE
            );
        }

        @Override
        @SuppressWarnings("deprecation")
        protected void masterOperation(Task task, Request request, ClusterState state, ActionListener<AcknowledgedResponse> listener) {
            if (EncoderMetadata.of(state.metadata()).encoders().containsKey(request.id) == false) {
                throw new ResourceNotFoundException("encoder [" + request.id + "] is not registered");
            }
            clusterService
                .submitUnbatchedStateUpdateTask("delete-recsys-encoder-" + request.id, new AckedClusterStateUpdateTask(request, listener) {
                    @Override
                    public ClusterState execute(ClusterState current) {
                        return EncoderMetadata.update(current, m -> m.without(request.id));
                    }
                });
        }

        @Override
        protected ClusterBlockException checkBlock(Request request, ClusterState state) {
            return state.blocks().globalBlockedException(ClusterBlockLevel.METADATA_WRITE);
        }
    }
}

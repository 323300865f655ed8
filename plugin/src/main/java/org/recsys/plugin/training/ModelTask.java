package org.recsys.plugin.training;

import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.tasks.TaskId;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Map;

/**
 * A training or evaluation as a cancellable task: {@code GET _tasks?detailed} shows its phase and progress,
 * {@code POST _tasks/{id}/_cancel} stops it at the next check (between pages read, iterations or bulk writes).
 */
public final class ModelTask extends CancellableTask {

    private final SubscribableListener<Void> claimed = new SubscribableListener<>();
    private volatile String phase = "starting";
    private volatile long interactionsRead;
    private volatile int iteration;
    private volatile int iterations;
    private volatile double loss = Double.NaN;
    private volatile long itemsWritten;
    private volatile long usersWritten;

    public ModelTask(long id, String type, String action, String description, TaskId parentTaskId, Map<String, String> headers) {
        super(id, type, action, description, parentTaskId, headers);
    }

    /**
     * Completes when a training has passed its checks and claimed its version, or fails with why it could not: what a
     * caller that does not wait for the end answers ({@code wait_for_completion=false}).
     */
    public SubscribableListener<Void> claimed() {
        return claimed;
    }

    /** Throws {@link TaskCancelledException} when the task was cancelled. */
    public void checkCancelled() {
        if (isCancelled()) {
            throw new TaskCancelledException("task cancelled [" + getReasonCancelled() + "]");
        }
    }

    public void phase(String phase) {
        this.phase = phase;
    }

    public void interactionsRead(long n) {
        this.interactionsRead = n;
    }

    public void iteration(int iteration, int iterations, double loss) {
        this.iteration = iteration;
        this.iterations = iterations;
        this.loss = loss;
    }

    public void itemsWritten(long n) {
        this.itemsWritten = n;
    }

    public void usersWritten(long n) {
        this.usersWritten = n;
    }

    @Override
    public Task.Status getStatus() {
        return new Status(phase, interactionsRead, iteration, iterations, loss, itemsWritten, usersWritten);
    }

    /** What {@code GET _tasks} shows of a model task. */
    public record Status(
        String phase,
        long interactionsRead,
        int iteration,
        int iterations,
        double loss,
        long itemsWritten,
        long usersWritten
    ) implements Task.Status {

        public static final String NAME = "recsys_model_task";

        public Status(StreamInput in) throws IOException {
            this(in.readString(), in.readVLong(), in.readVInt(), in.readVInt(), in.readDouble(), in.readVLong(), in.readVLong());
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(phase);
            out.writeVLong(interactionsRead);
            out.writeVInt(iteration);
            out.writeVInt(iterations);
            out.writeDouble(loss);
            out.writeVLong(itemsWritten);
            out.writeVLong(usersWritten);
        }

        @Override
        public String getWriteableName() {
            return NAME;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject().field("phase", phase).field("interactions_read", interactionsRead);
            builder.field("iteration", iteration).field("iterations", iterations);
            if (Double.isNaN(loss) == false) {
                builder.field("loss", loss);
            }
            return builder.field("items_written", itemsWritten).field("users_written", usersWritten).endObject();
        }
    }
}

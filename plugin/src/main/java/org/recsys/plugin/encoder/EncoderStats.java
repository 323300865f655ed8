package org.recsys.plugin.encoder;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/** One encoder's counters on one node; {@code modelBytes} is the size of the loaded model's weights file, 0 until it loads. */
public record EncoderStats(
    String id,
    boolean loaded,
    long modelBytes,
    long documents,
    long batches,
    long tokens,
    long truncated,
    long inferenceMillis,
    int queued,
    long rejected,
    long skipped
) implements Writeable, ToXContentObject {

    public EncoderStats(StreamInput in) throws IOException {
        this(
            in.readString(),
            in.readBoolean(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVLong(),
            in.readVInt(),
            in.readVLong(),
            in.readVLong()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(id);
        out.writeBoolean(loaded);
        out.writeVLong(Math.max(0, modelBytes));
        out.writeVLong(documents);
        out.writeVLong(batches);
        out.writeVLong(tokens);
        out.writeVLong(truncated);
        out.writeVLong(inferenceMillis);
        out.writeVInt(queued);
        out.writeVLong(rejected);
        out.writeVLong(skipped);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
            .field("loaded", loaded)
            .field("model_bytes", modelBytes)
            .field("documents", documents)
            .field("batches", batches)
            .field("tokens", tokens)
            .field("truncated", truncated)
            .field("inference_millis", inferenceMillis)
            .field("mean_millis_per_document", documents == 0 ? 0d : (double) inferenceMillis / documents)
            .field("queued", queued)
            .field("rejected", rejected)
            .field("skipped", skipped)
            .endObject();
    }
}

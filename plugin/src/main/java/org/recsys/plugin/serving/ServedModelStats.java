package org.recsys.plugin.serving;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;

/** A model that one node serves now: its type, the version it holds and that version's memory on the node. */
public record ServedModelStats(String type, long version, long memoryBytes) implements Writeable, ToXContentObject {

    public ServedModelStats(StreamInput in) throws IOException {
        this(in.readString(), in.readVLong(), in.readVLong());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(type);
        out.writeVLong(version);
        out.writeVLong(memoryBytes);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject().field("type", type).field("version", version).field("memory_bytes", memoryBytes).endObject();
    }
}

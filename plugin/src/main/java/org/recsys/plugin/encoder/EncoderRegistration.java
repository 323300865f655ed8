package org.recsys.plugin.encoder;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.encoder.Pooling;
import org.recsys.ingest.EncodingOptions;

import java.io.IOException;
import java.nio.file.Path;

import static org.elasticsearch.xcontent.ConstructingObjectParser.optionalConstructorArg;

/**
 * A registered encoder: a model directory under the node's {@code config/recsys-models/} and the options that
 * {@code text_vector} uses unless a processor overrides them. Small and valid on every node, so it lives in
 * cluster state.
 */
public record EncoderRegistration(String id, String path, Pooling pooling, boolean normalize, int maxSequenceLength)
    implements
        Writeable,
        ToXContentObject {

    public EncoderRegistration {
        if (id == null || id.isBlank() || id.startsWith("_") || id.length() > 255 || id.matches("[a-z0-9_\\-.]+") == false) {
            throw new IllegalArgumentException(
                "encoder id [" + id + "] must be 1 to 255 lowercase letters, digits, '_', '-' or '.', not starting with '_'"
            );
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("[path] is required: a directory under config/recsys-models/");
        }
        Path p = Path.of(path);
        if (p.isAbsolute() || p.normalize().startsWith("..") || p.normalize().toString().isEmpty() || path.contains("..")) {
            throw new IllegalArgumentException(
                "[path] [" + path + "] must be a relative directory inside config/recsys-models/, without '..'"
            );
        }
        if (maxSequenceLength < 2) {
            throw new IllegalArgumentException("[max_seq_length] must be at least 2, got [" + maxSequenceLength + "]");
        }
    }

    /**
     * The body of {@code PUT _recsys/encoders/{id}} (the id is the context): {@code path} required; {@code pooling}
     * (mean), {@code normalize} (true), {@code max_seq_length} (128).
     */
    private static final ConstructingObjectParser<EncoderRegistration, String> PARSER = new ConstructingObjectParser<>(
        "encoder",
        false,
        (a, id) -> new EncoderRegistration(
            id,
            (String) a[0],
            a[1] == null ? Pooling.MEAN : Pooling.fromId((String) a[1]),
            a[2] == null || (Boolean) a[2],
            a[3] == null ? 128 : (Integer) a[3]
        )
    );
    static {
        // Optional here so that a missing path gets the constructor's message, which says what the path is.
        PARSER.declareString(optionalConstructorArg(), new ParseField("path"));
        PARSER.declareString(optionalConstructorArg(), new ParseField("pooling"));
        PARSER.declareBoolean(optionalConstructorArg(), new ParseField("normalize"));
        PARSER.declareInt(optionalConstructorArg(), new ParseField("max_seq_length"));
    }

    public static EncoderRegistration parse(String id, XContentParser parser) throws IOException {
        return PARSER.parse(parser, id);
    }

    public EncoderRegistration(StreamInput in) throws IOException {
        this(in.readString(), in.readString(), in.readEnum(Pooling.class), in.readBoolean(), in.readVInt());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(id);
        out.writeString(path);
        out.writeEnum(pooling);
        out.writeBoolean(normalize);
        out.writeVInt(maxSequenceLength);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject()
            .field("path", path)
            .field("pooling", pooling.id())
            .field("normalize", normalize)
            .field("max_seq_length", maxSequenceLength)
            .endObject();
    }

    public EncodingOptions options() {
        return new EncodingOptions(pooling, normalize, maxSequenceLength);
    }
}

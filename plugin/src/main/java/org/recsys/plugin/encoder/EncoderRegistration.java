package org.recsys.plugin.encoder;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.encoder.Pooling;
import org.recsys.ingest.EncodingOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A registered encoder: a model directory under the node's {@code config/recsys-models/} and the options that
 * {@code text_vector} uses unless a processor overrides them. Small and valid on every node, so it lives in
 * cluster state.
 */
public record EncoderRegistration(String id, String path, Pooling pooling, boolean normalize, int maxSequenceLength)
    implements
        Writeable,
        ToXContentObject {

    static final Set<String> FIELDS = Set.of("path", "pooling", "normalize", "max_seq_length");

    public EncoderRegistration {
        if (id == null || id.isBlank() || id.startsWith("_") || id.length() > 255 || id.matches("[a-z0-9_\\-.]+") == false) {
            throw new IllegalArgumentException("encoder id [" + id + "] must be 1 to 255 lowercase letters, digits, '_', '-' or '.', not starting with '_'");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("[path] is required: a directory under config/recsys-models/");
        }
        Path p = Path.of(path);
        if (p.isAbsolute() || p.normalize().startsWith("..") || p.normalize().toString().isEmpty() || path.contains("..")) {
            throw new IllegalArgumentException("[path] [" + path + "] must be a relative directory inside config/recsys-models/, without '..'");
        }
        if (maxSequenceLength < 2) {
            throw new IllegalArgumentException("[max_seq_length] must be at least 2, got [" + maxSequenceLength + "]");
        }
    }

    /** From a request body: {@code path} required; {@code pooling} (mean), {@code normalize} (true), {@code max_seq_length} (128). */
    public static EncoderRegistration fromMap(String id, Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (FIELDS.contains(key) == false) {
                throw new IllegalArgumentException("unknown field [" + key + "]; expected one of " + FIELDS);
            }
        }
        Object path = body.get("path");
        if (path != null && path instanceof String == false) {
            throw new IllegalArgumentException("[path] must be a string, got [" + path + "]");
        }
        Object pooling = body.getOrDefault("pooling", Pooling.MEAN.id());
        Object normalize = body.getOrDefault("normalize", true);
        Object maxLength = body.getOrDefault("max_seq_length", 128);
        if (pooling instanceof String == false) {
            throw new IllegalArgumentException("[pooling] must be a string, got [" + pooling + "]");
        }
        if (normalize instanceof Boolean == false) {
            throw new IllegalArgumentException("[normalize] must be true or false, got [" + normalize + "]");
        }
        if (maxLength instanceof Integer == false) {
            throw new IllegalArgumentException("[max_seq_length] must be an integer, got [" + maxLength + "]");
        }
        return new EncoderRegistration(id, (String) path, Pooling.fromId((String) pooling), (Boolean) normalize, (Integer) maxLength);
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

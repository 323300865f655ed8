package org.recsys.plugin.encoder;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.cluster.AbstractNamedDiffable;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.NamedDiff;
import org.elasticsearch.cluster.metadata.Metadata;
import org.elasticsearch.common.collect.Iterators;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The registered encoders, in cluster state: persisted with it (so they survive restarts) and in snapshots' global
 * state. A node started after {@code elasticsearch-plugin remove recsys} reads its persisted state without them
 * (Elasticsearch skips a custom it cannot parse, with a warning) and drops them at its next metadata write. The
 * transport layer is not as lenient: a node without the plugin cannot join a cluster whose state holds them, so the
 * custom is removed with the last registration (docs/operations.md: delete the registrations before a rolling removal).
 */
public final class EncoderMetadata extends AbstractNamedDiffable<Metadata.Custom> implements Metadata.Custom {

    public static final String TYPE = "recsys_encoders";
    public static final EncoderMetadata EMPTY = new EncoderMetadata(Map.of());

    private final Map<String, EncoderRegistration> encoders;

    public EncoderMetadata(Map<String, EncoderRegistration> encoders) {
        this.encoders = Map.copyOf(encoders);
    }

    public EncoderMetadata(StreamInput in) throws IOException {
        this(in.readMap(EncoderRegistration::new));
    }

    public static EncoderMetadata of(Metadata metadata) {
        EncoderMetadata m = metadata.custom(TYPE);
        return m == null ? EMPTY : m;
    }

    public Map<String, EncoderRegistration> encoders() {
        return encoders;
    }

    /** The cluster state with this metadata changed by {@code change}; without any registration it holds no custom at all. */
    public static ClusterState update(ClusterState current, UnaryOperator<EncoderMetadata> change) {
        EncoderMetadata updated = change.apply(of(current.metadata()));
        Metadata.Builder metadata = Metadata.builder(current.metadata());
        if (updated.encoders.isEmpty()) {
            metadata.removeCustom(TYPE);
        } else {
            metadata.putCustom(TYPE, updated);
        }
        return ClusterState.builder(current).metadata(metadata).build();
    }

    public EncoderMetadata with(EncoderRegistration registration) {
        Map<String, EncoderRegistration> copy = new HashMap<>(encoders);
        copy.put(registration.id(), registration);
        return new EncoderMetadata(copy);
    }

    public EncoderMetadata without(String id) {
        Map<String, EncoderRegistration> copy = new HashMap<>(encoders);
        copy.remove(id);
        return new EncoderMetadata(copy);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeMap(encoders, StreamOutput::writeWriteable);
    }

    public static NamedDiff<Metadata.Custom> readDiffFrom(StreamInput in) throws IOException {
        return readDiffFrom(Metadata.Custom.class, TYPE, in);
    }

    public static EncoderMetadata fromXContent(XContentParser parser) throws IOException {
        Map<String, EncoderRegistration> encoders = new HashMap<>();
        XContentParser.Token token = parser.currentToken() == null ? parser.nextToken() : parser.currentToken();
        if (token != XContentParser.Token.START_OBJECT) {
            throw new XContentParseException(parser.getTokenLocation(), "[" + TYPE + "] expected an object, got [" + token + "]");
        }
        while (parser.nextToken() == XContentParser.Token.FIELD_NAME) {
            String id = parser.currentName();
            parser.nextToken();
            encoders.put(id, EncoderRegistration.parse(id, parser));
        }
        return new EncoderMetadata(encoders);
    }

    @Override
    public Iterator<? extends ToXContent> toXContentChunked(ToXContent.Params params) {
        TreeMap<String, EncoderRegistration> sorted = new TreeMap<>(encoders);
        return Iterators.single((builder, p) -> {
            for (Map.Entry<String, EncoderRegistration> e : sorted.entrySet()) {
                builder.field(e.getKey());
                e.getValue().toXContent(builder, p);
            }
            return builder;
        });
    }

    @Override
    public EnumSet<Metadata.XContentContext> context() {
        return Metadata.ALL_CONTEXTS;
    }

    @Override
    public String getWriteableName() {
        return TYPE;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersion.minimumCompatible();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderMetadata other && encoders.equals(other.encoders);
    }

    @Override
    public int hashCode() {
        return encoders.hashCode();
    }
}

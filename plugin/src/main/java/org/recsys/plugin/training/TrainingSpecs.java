package org.recsys.plugin.training;

import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.plugin.store.ModelId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The model types {@code _train} knows, and the parse of a request body into the spec of its type. */
public final class TrainingSpecs {

    /** Parses a request body, the model id already checked, for the node's default training threads. */
    @FunctionalInterface
    interface Parser {
        TrainingSpec parse(String modelId, Map<String, Object> body, int defaultThreads);
    }

    private static final Map<String, Parser> PARSERS = Map.of(
        WalsTrainingSpec.WALS, WalsTrainingSpec::parse,
        MeluTrainingSpec.MELU, MeluTrainingSpec::parse,
        SequentialTrainingSpec.SEQUENTIAL, SequentialTrainingSpec::parse
    );

    private TrainingSpecs() {}

    /**
     * @param defaultThreads the training threads when the request names none (the node's allocated processors)
     */
    public static TrainingSpec parse(String modelId, Map<String, Object> body, int defaultThreads) {
        ModelId.validate(modelId);
        Object type = body.getOrDefault("type", WalsTrainingSpec.WALS);
        Parser parser = type instanceof String name ? PARSERS.get(name) : null;
        if (parser == null) {
            throw new IllegalArgumentException("[type] is [" + type + "]; expected one of " + new TreeSet<>(PARSERS.keySet()));
        }
        return parser.parse(modelId, body, defaultThreads);
    }

    /**
     * Refuses more training threads than the node has processors: each is a thread of its own, and a request for a
     * million of them once ran the node out of native threads.
     */
    public static void checkThreads(TrainingSpec spec, int allocatedProcessors) {
        if (spec.threads() > allocatedProcessors) {
            throw new IllegalArgumentException(
                "[params.threads] is [" + spec.threads() + "]; it must be at most [" + allocatedProcessors + "], the processors this node may use"
            );
        }
    }

    public static Set<String> types() {
        return PARSERS.keySet();
    }

    public static List<NamedWriteableRegistry.Entry> namedWriteables() {
        return List.of(
            new NamedWriteableRegistry.Entry(TrainingSpec.class, WalsTrainingSpec.WALS, WalsTrainingSpec::new),
            new NamedWriteableRegistry.Entry(TrainingSpec.class, MeluTrainingSpec.MELU, MeluTrainingSpec::new),
            new NamedWriteableRegistry.Entry(TrainingSpec.class, SequentialTrainingSpec.SEQUENTIAL, SequentialTrainingSpec::new)
        );
    }

    /** The spec as the map its {@code toXContent} writes: what a version records and {@link #parse} reads back. */
    public static Map<String, Object> toMap(TrainingSpec spec) {
        try (XContentBuilder b = XContentFactory.jsonBuilder()) {
            b.startObject();
            spec.toXContent(b, ToXContent.EMPTY_PARAMS);
            b.endObject();
            return XContentHelper.convertToMap(BytesReference.bytes(b), true, XContentType.JSON).v2();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

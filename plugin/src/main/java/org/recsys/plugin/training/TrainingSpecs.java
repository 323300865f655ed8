package org.recsys.plugin.training;

import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.core.CheckedSupplier;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.plugin.store.ModelId;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The model types {@code _train} knows, and the parse of a request body into the spec of its type. */
public final class TrainingSpecs {

    /** Parses a request body, the model id already checked, for the node's default training threads. */
    @FunctionalInterface
    interface Parser {
        TrainingSpec parse(String modelId, XContentParser body, int defaultThreads) throws IOException;
    }

    private static final Map<String, Parser> PARSERS = Map.of(
        WalsTrainingSpec.WALS,
        WalsTrainingSpec::parse,
        MeluTrainingSpec.MELU,
        MeluTrainingSpec::parse,
        SequentialTrainingSpec.SEQUENTIAL,
        SequentialTrainingSpec::parse
    );

    private static final ParseField TYPE = new ParseField("type");

    private TrainingSpecs() {}

    /**
     * Parses the body that {@code body} reads, twice: once for its {@code type} (wherever it is in the object), then
     * with the type's parser, so that every error names the position in the body as it was sent.
     *
     * @param defaultThreads the training threads when the request names none (the node's allocated processors)
     */
    public static TrainingSpec parse(String modelId, CheckedSupplier<XContentParser, IOException> body, int defaultThreads)
        throws IOException {
        ModelId.validate(modelId);
        String type;
        try (XContentParser scan = body.get()) {
            type = typeOf(scan);
        }
        Parser parser = PARSERS.get(type);
        if (parser == null) {
            throw new IllegalArgumentException("[type] is [" + type + "]; expected one of " + new TreeSet<>(PARSERS.keySet()));
        }
        try (XContentParser content = body.get()) {
            return BodyParsing.singleObject(content, p -> parser.parse(modelId, p, defaultThreads));
        }
    }

    /** A body already read into a map: a stored version's spec, a spec sent over the wire, a test's. */
    public static TrainingSpec parse(String modelId, Map<String, Object> body, int defaultThreads) {
        try {
            return parse(modelId, () -> BodyParsing.parserOf(body), defaultThreads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The top-level {@code type} of a body, {@code wals} when it has none (or is no object: the type's parser says so). */
    private static String typeOf(XContentParser parser) throws IOException {
        if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
            return WalsTrainingSpec.WALS;
        }
        for (XContentParser.Token token = parser.nextToken(); token == XContentParser.Token.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            XContentParser.Token value = parser.nextToken();
            if (TYPE.getPreferredName().equals(name)) {
                return value.isValue() ? parser.text() : String.valueOf(value);
            }
            parser.skipChildren();
        }
        return WalsTrainingSpec.WALS;
    }

    /** Each type's parser takes {@code type}, which chose it. */
    static <T> void declareType(ObjectParser<T, Void> parser) {
        parser.declareString((body, type) -> {
        }, TYPE);
    }

    /**
     * Refuses more training threads than the node has processors: each is a thread of its own, and a request for a
     * million of them once ran the node out of native threads.
     */
    public static void checkThreads(TrainingSpec spec, int allocatedProcessors) {
        if (spec.threads() > allocatedProcessors) {
            throw new IllegalArgumentException(
                "[params.threads] is ["
                    + spec.threads()
                    + "]; it must be at most ["
                    + allocatedProcessors
                    + "], the processors this node may use"
            );
        }
    }

    /**
     * The spec a stored version was trained with, as serving and evaluation read it: for a version whose parameters a
     * search chose ({@code tune}), the request's fixed parameters together with the chosen ones (its metrics' {@code
     * tune.chosen}), and no search.
     */
    @SuppressWarnings("unchecked")
    public static TrainingSpec ofVersion(VersionRecord version) {
        Map<String, Object> spec = version.spec();
        if (spec.get("tune") != null
            && version.metrics().get(WalsTraining.TUNE) instanceof Map<?, ?> tune
            && tune.get("chosen") instanceof Map<?, ?> chosen) {
            Map<String, Object> params = new HashMap<>((Map<String, Object>) spec.getOrDefault("params", Map.of()));
            params.putAll((Map<String, Object>) chosen);
            spec = new HashMap<>(spec);
            spec.remove("tune");
            spec.put("params", params);
        }
        return parse(version.modelId(), spec, 1);
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

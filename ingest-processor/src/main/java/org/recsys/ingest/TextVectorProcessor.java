package org.recsys.ingest;

import org.elasticsearch.ingest.AbstractProcessor;
import org.elasticsearch.ingest.ConfigurationUtils;
import org.elasticsearch.ingest.IngestDocument;
import org.elasticsearch.ingest.Processor;
import org.recsys.core.encoder.Pooling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@code text_vector}: joins one or more text fields (strings, or lists of strings joined with ", ") with a separator, encodes the text with a registered
 * transformer encoder and stores the vector in {@code target_field}. Asynchronous: the document waits in the
 * encoder's micro-batcher, not on an ingest thread. With {@code skip_unchanged}, a hash of what is encoded is stored
 * in {@code hash_field}, and a document whose stored hash equals the new one keeps its stored vector.
 */
public final class TextVectorProcessor extends AbstractProcessor {

    public static final String TYPE = "text_vector";

    private final List<String> fields;
    private final String separator;
    private final String targetField;
    private final String encoderId;
    private final EncodingOptions options;
    private final boolean ignoreMissing;
    private final String hashField;
    private final TextEncoders encoders;
    private final ReusableVectorLookup storedVectors;

    TextVectorProcessor(
        String tag,
        String description,
        List<String> fields,
        String separator,
        String targetField,
        String encoderId,
        EncodingOptions options,
        boolean ignoreMissing,
        String hashField,
        TextEncoders encoders,
        ReusableVectorLookup storedVectors
    ) {
        super(tag, description);
        this.fields = fields;
        this.separator = separator;
        this.targetField = targetField;
        this.encoderId = encoderId;
        this.options = options;
        this.ignoreMissing = ignoreMissing;
        this.hashField = hashField;
        this.encoders = encoders;
        this.storedVectors = storedVectors;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        String text;
        try {
            text = text(document);
        } catch (IllegalArgumentException e) {
            handler.accept(null, e);
            return;
        }
        if (text == null) {
            handler.accept(document, null); // ignore_missing and nothing to encode
            return;
        }
        if (hashField == null) {
            encode(document, text, handler);
            return;
        }
        String hash = TextHash.of(encoderId, options, text);
        try {
            document.setFieldValue(hashField, hash);
        } catch (IllegalArgumentException e) {
            handler.accept(null, e); // e.g. a parent of hash_field that is not an object
            return;
        }
        String id = document.getMetadata().getId();
        if (id == null) {
            encode(document, text, handler); // a new document with an id still to be generated
            return;
        }
        storedVectors.find(
            new ReusableVectorLookup.Lookup(
                document.getMetadata().getIndex(),
                id,
                document.getMetadata().getRouting(),
                hashField,
                targetField,
                hash,
                (stored, failure) -> {
                    if (failure != null) {
                        handler.accept(null, failure);
                    } else if (stored == null) {
                        encode(document, text, handler);
                    } else {
                        encoders.countSkipped(encoderId);
                        store(document, stored, handler);
                    }
                }
            )
        );
    }

    private void encode(IngestDocument document, String text, BiConsumer<IngestDocument, Exception> handler) {
        encoders.encode(encoderId, text, options, (vector, failure) -> {
            if (failure != null) {
                handler.accept(null, failure);
                return;
            }
            store(document, toList(vector), handler);
        });
    }

    /**
     * Sets the vector and hands the document on. Runs on a batch's thread: a failure must reach this document's
     * handler, never the loop that completes the rest of the batch.
     */
    private void store(IngestDocument document, List<?> vector, BiConsumer<IngestDocument, Exception> handler) {
        try {
            document.setFieldValue(targetField, vector);
        } catch (IllegalArgumentException e) {
            handler.accept(null, e); // e.g. a parent of target_field that is not an object
            return;
        }
        handler.accept(document, null);
    }

    /** The joined text, or null when every field is missing and {@code ignore_missing} is set. */
    String text(IngestDocument document) {
        List<String> parts = new ArrayList<>(fields.size());
        List<String> missing = new ArrayList<>();
        for (String field : fields) {
            Object value = document.hasField(field) ? document.getFieldValue(field, Object.class) : null;
            if (value == null) {
                missing.add(field);
            } else if (value instanceof String s) {
                if (s.isBlank() == false) {
                    parts.add(s);
                }
            } else if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                if (list.isEmpty() == false) {
                    parts.add(String.join(", ", list.stream().map(String.class::cast).toList()));
                }
            } else {
                throw new IllegalArgumentException(
                    "field ["
                        + field
                        + "] of type ["
                        + value.getClass().getSimpleName()
                        + "] cannot be encoded; ["
                        + TYPE
                        + "] needs a string or a list of strings"
                );
            }
        }
        if (missing.size() == fields.size() || parts.isEmpty()) {
            if (ignoreMissing) {
                return null;
            }
            throw new IllegalArgumentException(
                missing.size() == fields.size()
                    ? "fields " + missing + " are missing; [" + TYPE + "] has nothing to encode (set ignore_missing to skip such documents)"
                    : "fields " + fields + " hold only empty text or are missing; [" + TYPE + "] has nothing to encode"
            );
        }
        return String.join(separator, parts);
    }

    private static List<Float> toList(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float f : vector) {
            list.add(f);
        }
        return list;
    }

    /** Reads the processor's configuration; refuses an encoder that is not registered. */
    public static final class Factory implements Processor.Factory {
        private final TextEncoders encoders;
        private final ReusableVectorLookup storedVectors;

        public Factory(TextEncoders encoders, ReusableVectorLookup storedVectors) {
            this.encoders = encoders;
            this.storedVectors = storedVectors;
        }

        @Override
        public TextVectorProcessor create(
            Map<String, Processor.Factory> registry,
            String tag,
            String description,
            Map<String, Object> config
        ) {
            List<String> fields = fields(tag, config);
            String separator = ConfigurationUtils.readStringProperty(TYPE, tag, config, "separator", "\n");
            String target = ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field");
            String encoder = ConfigurationUtils.readStringProperty(TYPE, tag, config, "encoder");
            boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            String hashField = hashField(tag, config, target);
            encoders.checkRegistered(encoder);
            EncodingOptions defaults = encoders.defaults(encoder);
            String pooling = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "pooling");
            Integer maxLength = ConfigurationUtils.readIntProperty(TYPE, tag, config, "max_seq_length", defaults.maxSequenceLength());
            Boolean normalize = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "normalize", defaults.normalize());
            if (normalize && encoders.encodesFactors(encoder)) {
                throw ConfigurationUtils.newConfigurationException(
                    TYPE,
                    tag,
                    "normalize",
                    "encoder [" + encoder + "] has a projection head, whose vectors are factors: they cannot be normalised"
                );
            }
            Pooling p;
            try {
                p = pooling == null ? defaults.pooling() : Pooling.fromId(pooling);
            } catch (IllegalArgumentException e) {
                throw ConfigurationUtils.newConfigurationException(TYPE, tag, "pooling", e.getMessage());
            }
            if (maxLength < 2) {
                throw ConfigurationUtils
                    .newConfigurationException(TYPE, tag, "max_seq_length", "must be at least 2, got [" + maxLength + "]");
            }
            return new TextVectorProcessor(
                tag,
                description,
                fields,
                separator,
                target,
                encoder,
                new EncodingOptions(p, normalize, maxLength),
                ignoreMissing,
                hashField,
                encoders,
                storedVectors
            );
        }

        /** Where the text hash goes: {@code hash_field}, by default {@code <target_field>_hash}; null without {@code skip_unchanged}. */
        private static String hashField(String tag, Map<String, Object> config, String target) {
            boolean skipUnchanged = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "skip_unchanged", false);
            String hashField = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "hash_field");
            if (skipUnchanged == false) {
                if (hashField != null) {
                    throw ConfigurationUtils.newConfigurationException(TYPE, tag, "hash_field", "is only used with [skip_unchanged: true]");
                }
                return null;
            }
            if (hashField == null) {
                return target + "_hash";
            }
            if (hashField.isBlank() || hashField.equals(target)) {
                throw ConfigurationUtils.newConfigurationException(
                    TYPE,
                    tag,
                    "hash_field",
                    "must be a field name other than [target_field], got [" + hashField + "]"
                );
            }
            return hashField;
        }

        private static List<String> fields(String tag, Map<String, Object> config) {
            Object value = ConfigurationUtils.readObject(TYPE, tag, config, "fields");
            List<String> fields = new ArrayList<>();
            if (value instanceof String s) {
                fields.add(s);
            } else if (value instanceof List<?> list && list.isEmpty() == false && list.stream().allMatch(String.class::isInstance)) {
                list.forEach(f -> fields.add((String) f));
            } else {
                throw ConfigurationUtils
                    .newConfigurationException(TYPE, tag, "fields", "must be a field name or a non-empty list of field names");
            }
            return fields;
        }
    }
}

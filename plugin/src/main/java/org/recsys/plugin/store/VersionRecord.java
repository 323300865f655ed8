package org.recsys.plugin.store;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.rest.RestStatus;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One trained (or attempted) version of a model: what it was trained from and with ({@code spec}), how it went
 * ({@code status}, {@code metrics}, {@code error}), its last evaluation, and how many chunks each of its blobs
 * (ids, factors, Gram matrix) has in the store, and the store format it was written in.
 */
public record VersionRecord(
    String modelId,
    long version,
    Status status,
    String slot,
    Map<String, Object> spec,
    Map<String, Object> metrics,
    @Nullable Map<String, Object> evaluation,
    @Nullable String error,
    long startedMillis,
    long finishedMillis,
    Map<String, Integer> blobChunks,
    int format
) {

    /**
     * The store format this plugin writes: the layout of a version's document and blobs (the arrays' encodings, the
     * spec's fields). Raise it with any change that an older plugin would misread, and keep reading the older ones
     * or refuse them in {@link #checkReadable}. Format 1 is what the plugin stored before formats were numbered, so
     * a version document without the field is format 1.
     */
    public static final int FORMAT = 1;

    /** A version written by this plugin: in its {@link #FORMAT}. */
    public VersionRecord(
        String modelId,
        long version,
        Status status,
        String slot,
        Map<String, Object> spec,
        Map<String, Object> metrics,
        @Nullable Map<String, Object> evaluation,
        @Nullable String error,
        long startedMillis,
        long finishedMillis,
        Map<String, Integer> blobChunks
    ) {
        this(modelId, version, status, slot, spec, metrics, evaluation, error, startedMillis, finishedMillis, blobChunks, FORMAT);
    }

    public enum Status {
        TRAINING, COMPLETE, FAILED, CANCELLED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public VersionRecord finished(
        Status status,
        Map<String, Object> metrics,
        @Nullable String error,
        long now,
        Map<String, Integer> blobs
    ) {
        return new VersionRecord(modelId, version, status, slot, spec, metrics, evaluation, error, startedMillis, now, blobs, format);
    }

    public VersionRecord evaluated(Map<String, Object> evaluation) {
        return new VersionRecord(
            modelId,
            version,
            status,
            slot,
            spec,
            metrics,
            evaluation,
            error,
            startedMillis,
            finishedMillis,
            blobChunks,
            format
        );
    }

    /**
     * Refuses, before anything of it is parsed for use, a version written in a format this plugin does not read (by a
     * newer plugin, seen after a downgrade or in a snapshot restored from a newer cluster), with what to do: a 409,
     * since the request is fine and the stored model is what this node cannot use.
     */
    public VersionRecord checkReadable() {
        if (format > FORMAT || format < 1) {
            throw new ElasticsearchStatusException(
                "version ["
                    + version
                    + "] of model ["
                    + modelId
                    + "] is in store format ["
                    + format
                    + "], and this recsys plugin reads formats 1 to ["
                    + FORMAT
                    + "]: install the recsys version that stored it (or a later one) on every node, or train the model again with POST _recsys/models/"
                    + modelId
                    + "/_train",
                RestStatus.CONFLICT
            );
        }
        return this;
    }

    Map<String, Object> toSource() {
        Map<String, Object> m = new HashMap<>();
        m.put("doc_type", "version");
        m.put("format", format);
        m.put("model_id", modelId);
        m.put("version", version);
        m.put("status", status.id());
        m.put("slot", slot);
        m.put("spec", spec);
        m.put("metrics", metrics);
        m.put("evaluation", evaluation);
        m.put("error", error);
        m.put("started_millis", startedMillis);
        m.put("finished_millis", finishedMillis);
        m.put("blobs", blobChunks);
        return m;
    }

    @SuppressWarnings("unchecked")
    static VersionRecord fromSource(Map<String, Object> s) {
        Number format = (Number) s.get("format");
        return new VersionRecord(
            (String) s.get("model_id"),
            ((Number) s.get("version")).longValue(),
            Status.valueOf(((String) s.get("status")).toUpperCase(Locale.ROOT)),
            (String) s.get("slot"),
            (Map<String, Object>) s.get("spec"),
            (Map<String, Object>) s.get("metrics"),
            (Map<String, Object>) s.get("evaluation"),
            (String) s.get("error"),
            ((Number) s.get("started_millis")).longValue(),
            ((Number) s.get("finished_millis")).longValue(),
            (Map<String, Integer>) s.get("blobs"),
            format == null ? 1 : format.intValue()
        );
    }
}

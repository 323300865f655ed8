package org.recsys.plugin.store;

import org.elasticsearch.core.Nullable;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One trained (or attempted) version of a model: what it was trained from and with ({@code spec}), how it went
 * ({@code status}, {@code metrics}, {@code error}), its last evaluation, and how many chunks each of its blobs
 * (ids, factors, Gram matrix) has in the store.
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
    Map<String, Integer> blobChunks
) {

    public enum Status {
        TRAINING,
        COMPLETE,
        FAILED,
        CANCELLED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public VersionRecord finished(Status status, Map<String, Object> metrics, @Nullable String error, long now, Map<String, Integer> blobs) {
        return new VersionRecord(modelId, version, status, slot, spec, metrics, evaluation, error, startedMillis, now, blobs);
    }

    public VersionRecord evaluated(Map<String, Object> evaluation) {
        return new VersionRecord(modelId, version, status, slot, spec, metrics, evaluation, error, startedMillis, finishedMillis, blobChunks);
    }

    Map<String, Object> toSource() {
        Map<String, Object> m = new HashMap<>();
        m.put("doc_type", "version");
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
            (Map<String, Integer>) s.get("blobs")
        );
    }
}

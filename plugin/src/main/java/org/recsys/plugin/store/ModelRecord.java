package org.recsys.plugin.store;

import org.elasticsearch.core.Nullable;

import java.util.HashMap;
import java.util.Map;

/**
 * The pointer document of a model: which version is served (and from which vector slot), the newest version
 * number handed out, and the claim of a training in progress. Flipping {@code activeVersion} is what makes a new
 * version visible; it happens only once every part of that version is written.
 */
public record ModelRecord(
    String modelId,
    String type,
    long activeVersion,
    @Nullable String activeSlot,
    long latestVersion,
    @Nullable TrainingClaim training,
    long createdMillis
) {

    /** A training that holds the model: its version, the slot it writes and the task that runs it. */
    public record TrainingClaim(long version, String slot, String taskId, long startedMillis) {}

    public static final long NONE = 0;

    public static ModelRecord create(String modelId, String type, long now) {
        return new ModelRecord(modelId, type, NONE, null, NONE, null, now);
    }

    public boolean hasActiveVersion() {
        return activeVersion != NONE;
    }

    /** The slot a new version writes: never the served one. */
    public String inactiveSlot() {
        return "a".equals(activeSlot) ? "b" : "a";
    }

    public ModelRecord claimed(TrainingClaim claim) {
        return new ModelRecord(modelId, type, activeVersion, activeSlot, claim.version(), claim, createdMillis);
    }

    public ModelRecord released() {
        return new ModelRecord(modelId, type, activeVersion, activeSlot, latestVersion, null, createdMillis);
    }

    public ModelRecord activated(long version, String slot) {
        return new ModelRecord(modelId, type, version, slot, latestVersion, null, createdMillis);
    }

    Map<String, Object> toSource() {
        Map<String, Object> m = new HashMap<>();
        m.put("doc_type", "model");
        m.put("model_id", modelId);
        m.put("model_type", type);
        m.put("active_version", activeVersion);
        m.put("active_slot", activeSlot);
        m.put("latest_version", latestVersion);
        m.put("created_millis", createdMillis);
        if (training != null) {
            m.put(
                "training",
                Map.of(
                    "version",
                    training.version,
                    "slot",
                    training.slot,
                    "task",
                    training.taskId,
                    "started_millis",
                    training.startedMillis
                )
            );
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static ModelRecord fromSource(Map<String, Object> s) {
        Map<String, Object> t = (Map<String, Object>) s.get("training");
        return new ModelRecord(
            (String) s.get("model_id"),
            (String) s.get("model_type"),
            ((Number) s.get("active_version")).longValue(),
            (String) s.get("active_slot"),
            ((Number) s.get("latest_version")).longValue(),
            t == null
                ? null
                : new TrainingClaim(
                    ((Number) t.get("version")).longValue(),
                    (String) t.get("slot"),
                    (String) t.get("task"),
                    ((Number) t.get("started_millis")).longValue()
                ),
            ((Number) s.get("created_millis")).longValue()
        );
    }
}

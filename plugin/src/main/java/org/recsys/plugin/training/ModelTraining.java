package org.recsys.plugin.training;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.admin.cluster.node.tasks.get.GetTaskResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Releasable;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.TaskCancelledException;
import org.recsys.plugin.memory.RecsysBreaker;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * One training of any model type from start to switch: the type's checks (privileges and memory included), the claim
 * of the next version and the inactive slot, the type's training, then the version's record and the flip of the
 * model's pointer. Until the flip, readers see the previous version; a failure of any kind, or a cancellation,
 * leaves it served and records why in the version's document. The checks and the claim come first and change
 * nothing, so a request that fails them changes no index, mapping or document.
 */
public final class ModelTraining {

    private final String nodeName;
    private final Client client;
    private final ModelStore store;
    private final Map<String, ModelTrainer<?>> trainers;
    private final RecsysBreaker memory;
    private final Consumer<String> switched;

    /**
     * @param nodeName this node's, recorded with each version it trains
     * @param client   the plugin's system-context client, to look up the task that holds a model's claim
     * @param switched told a model's id, on the training's thread, when its served version changed (to refresh every node)
     */
    public ModelTraining(
        String nodeName,
        Client client,
        ModelStore store,
        List<ModelTrainer<?>> trainers,
        RecsysBreaker memory,
        Consumer<String> switched
    ) {
        this.nodeName = nodeName;
        this.client = client;
        this.store = store;
        this.memory = memory;
        this.switched = switched;
        Map<String, ModelTrainer<?>> byType = new LinkedHashMap<>();
        for (ModelTrainer<?> trainer : trainers) {
            byType.put(trainer.type(), trainer);
        }
        this.trainers = Map.copyOf(byType);
    }

    /**
     * Runs the whole training on the calling thread; answers the finished version's summary. The task hears when
     * the version is claimed ({@link ModelTask#claimed()}), so a caller that does not wait for the end still gets
     * the checks' and the claim's failures (400, 403, 409, 429).
     */
    public Map<String, Object> run(TrainingSpec spec, ModelTask task, String taskId) {
        return run(trainers.get(spec.type()), spec, task, taskId);
    }

    private <S extends TrainingSpec> Map<String, Object> run(ModelTrainer<S> trainer, TrainingSpec request, ModelTask task, String taskId) {
        S spec = trainer.specClass().cast(request);
        ModelRecord.TrainingClaim claim;
        Releasable reservation;
        try {
            task.phase("checking");
            long bytes = trainer.check(spec);
            reservation = memory.reserve(bytes, "training of model [" + spec.modelId() + "]");
            try {
                claim = claim(spec, taskId);
            } catch (RuntimeException e) {
                reservation.close();
                throw e;
            }
        } catch (RuntimeException e) {
            task.claimed().onFailure(e);
            throw e;
        }
        task.claimed().onResponse(null);
        try (reservation) {
            return train(trainer, spec, claim, task);
        }
    }

    private <S extends TrainingSpec> Map<String, Object> train(
        ModelTrainer<S> trainer,
        S spec,
        ModelRecord.TrainingClaim claim,
        ModelTask task
    ) {
        VersionRecord version = new VersionRecord(
            spec.modelId(),
            claim.version(),
            VersionRecord.Status.TRAINING,
            claim.slot(),
            TrainingSpecs.toMap(spec),
            Map.of(),
            null,
            null,
            System.currentTimeMillis(),
            0,
            Map.of()
        );
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("node", nodeName);
        try {
            store.putVersion(version);
            Map<String, Integer> blobs = trainer.train(spec, claim, task, metrics);
            task.phase("switching");
            task.checkCancelled();
            version = version.finished(VersionRecord.Status.COMPLETE, metrics, null, System.currentTimeMillis(), blobs);
            store.putVersion(version);
            ModelStore.Stored current = store.requireModel(spec.modelId());
            store.putModel(current.model().activated(claim.version(), claim.slot()), current);
        } catch (Throwable t) {
            // Errors too (an OutOfMemoryError in a trainer's thread): no version may stay "training".
            boolean cancelled = t instanceof TaskCancelledException || t instanceof CancellationException;
            try {
                store.putVersion(
                    version.finished(
                        cancelled ? VersionRecord.Status.CANCELLED : VersionRecord.Status.FAILED,
                        metrics,
                        String.valueOf(t.getMessage() == null ? t : t.getMessage()),
                        System.currentTimeMillis(),
                        Map.of()
                    )
                );
                release(spec.modelId(), claim.version());
            } catch (RuntimeException recording) {
                t.addSuppressed(recording);
            }
            if (t instanceof CancellationException) {
                throw new TaskCancelledException(t.getMessage());
            }
            throw t;
        }
        switched.accept(spec.modelId());
        deleteOldVersions(spec.modelId(), claim.version());
        task.phase("done");
        return summary(version);
    }

    /**
     * Takes the next version number and the inactive slot. A claim whose task is known to be gone (finished, or its
     * node left the cluster) is taken over and its version marked failed; a live one is a conflict, and so is a
     * request of another type than the model's.
     */
    private ModelRecord.TrainingClaim claim(TrainingSpec spec, String taskId) {
        String modelId = spec.modelId();
        Optional<ModelStore.Stored> stored = store.model(modelId);
        ModelRecord model =
            stored.map(ModelStore.Stored::model).orElseGet(() -> ModelRecord.create(modelId, spec.type(), System.currentTimeMillis()));
        if (model.type().equals(spec.type()) == false) {
            throw new ElasticsearchStatusException(
                "model ["
                    + modelId
                    + "] is a ["
                    + model.type()
                    + "] model; it cannot be trained as ["
                    + spec.type()
                    + "] (delete it first, or choose another model id)",
                RestStatus.CONFLICT
            );
        }
        if (model.training() != null) {
            ClaimHolder holder = claimHolder(model.training());
            if (holder != ClaimHolder.GONE) {
                throw new ElasticsearchStatusException(
                    "model ["
                        + modelId
                        + "] is already being trained (version ["
                        + model.training().version()
                        + "], task ["
                        + model.training().taskId()
                        + "])"
                        + (holder == ClaimHolder.UNKNOWN ? "; whether that task still runs could not be checked" : ""),
                    RestStatus.CONFLICT
                );
            }
            markAbandoned(modelId, model.training());
        }
        ModelRecord.TrainingClaim claim =
            new ModelRecord.TrainingClaim(model.latestVersion() + 1, model.inactiveSlot(), taskId, System.currentTimeMillis());
        store.putModel(model.claimed(claim), stored.orElse(null));
        return claim;
    }

    /** Tells every node that the model's served version changed or is gone. */
    public void switched(String modelId) {
        switched.accept(modelId);
    }

    /** Whether the task holding a training claim runs: only an affirmative answer that it is gone frees the claim. */
    enum ClaimHolder {
        RUNNING, GONE, UNKNOWN
    }

    ClaimHolder claimHolder(ModelRecord.TrainingClaim claim) {
        try {
            GetTaskResponse response = client.admin().cluster().prepareGetTask(claim.taskId()).get();
            return response.getTask().isCompleted() ? ClaimHolder.GONE : ClaimHolder.RUNNING;
        } catch (ResourceNotFoundException e) {
            // Neither running nor stored: its node left the cluster or restarted.
            return ClaimHolder.GONE;
        } catch (RuntimeException e) {
            return ClaimHolder.UNKNOWN;
        }
    }

    /** Whether a model is being trained right now (its claim's task is not known to be gone). */
    public boolean isTraining(ModelRecord model) {
        return model.training() != null && claimHolder(model.training()) != ClaimHolder.GONE;
    }

    /** The version of a claim whose task is gone stays in the store as failed, never as "training". */
    private void markAbandoned(String modelId, ModelRecord.TrainingClaim claim) {
        try {
            VersionRecord abandoned = store.version(modelId, claim.version());
            if (abandoned.status() == VersionRecord.Status.TRAINING) {
                store.putVersion(
                    abandoned.finished(
                        VersionRecord.Status.FAILED,
                        abandoned.metrics(),
                        "abandoned: task [" + claim.taskId() + "] ended without finishing (its node left the cluster or stopped)",
                        System.currentTimeMillis(),
                        Map.of()
                    )
                );
            }
        } catch (ResourceNotFoundException e) {
            // The task ended before it recorded its version.
        }
    }

    private void release(String modelId, long version) {
        store.model(modelId).ifPresent(s -> {
            if (s.model().training() != null && s.model().training().version() == version) {
                store.putModel(s.model().released(), s);
            }
        });
    }

    /** Keeps the new version and the one before it (what a rollback needs); older versions are deleted. */
    private void deleteOldVersions(String modelId, long active) {
        List<VersionRecord> versions = store.versions(modelId);
        boolean keptPrevious = false;
        for (VersionRecord v : versions) {
            if (v.version() >= active) {
                continue;
            }
            if (keptPrevious == false && v.status() == VersionRecord.Status.COMPLETE) {
                keptPrevious = true;
                continue;
            }
            store.deleteVersion(v);
        }
    }

    public static Map<String, Object> summary(VersionRecord version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", version.modelId());
        out.put("version", version.version());
        out.put("status", version.status().id());
        out.put("slot", version.slot());
        out.put("metrics", version.metrics());
        return out;
    }

    /** Seconds since {@code startNanos} ({@link System#nanoTime}), to the millisecond: a phase's time in a version's metrics. */
    static double secondsSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }
}

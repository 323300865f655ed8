package org.recsys.plugin.training;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.admin.cluster.node.tasks.get.GetTaskResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.TaskCancelledException;
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
 * One training of any model type from start to switch: the type's checks, the claim of the next version and the
 * inactive slot, the type's training, then the version's record and the flip of the model's pointer. Until the flip,
 * readers see the previous version; a failure or cancellation anywhere leaves it served and records why in the
 * version's document.
 */
public final class ModelTraining {

    private final Client client;
    private final ModelStore store;
    private final Map<String, ModelTrainer<?>> trainers;
    private final Consumer<String> switched;

    /** @param switched told a model's id, on the training's thread, when its served version changed (to refresh every node) */
    public ModelTraining(Client client, ModelStore store, List<ModelTrainer<?>> trainers, Consumer<String> switched) {
        this.client = client;
        this.store = store;
        this.switched = switched;
        Map<String, ModelTrainer<?>> byType = new LinkedHashMap<>();
        for (ModelTrainer<?> trainer : trainers) {
            byType.put(trainer.type(), trainer);
        }
        this.trainers = Map.copyOf(byType);
    }

    /** Runs the whole training on the calling thread; answers the finished version's summary. */
    public Map<String, Object> run(TrainingSpec spec, ModelTask task, String taskId) {
        return run(trainers.get(spec.type()), spec, task, taskId);
    }

    private <S extends TrainingSpec> Map<String, Object> run(ModelTrainer<S> trainer, TrainingSpec request, ModelTask task, String taskId) {
        S spec = trainer.specClass().cast(request);
        task.phase("checking");
        trainer.check(spec);
        ModelRecord.TrainingClaim claim = claim(spec, taskId);
        VersionRecord version = new VersionRecord(
            spec.modelId(), claim.version(), VersionRecord.Status.TRAINING, claim.slot(), TrainingSpecs.toMap(spec), Map.of(), null, null,
            System.currentTimeMillis(), 0, Map.of()
        );
        store.putVersion(version);
        Map<String, Object> metrics = new LinkedHashMap<>();
        try {
            Map<String, Integer> blobs = trainer.train(spec, claim, task, metrics);
            task.phase("switching");
            task.checkCancelled();
            version = version.finished(VersionRecord.Status.COMPLETE, metrics, null, System.currentTimeMillis(), blobs);
            store.putVersion(version);
            ModelStore.Stored current = store.requireModel(spec.modelId());
            store.putModel(current.model().activated(claim.version(), claim.slot()), current);
            switched.accept(spec.modelId());
            deleteOldVersions(spec.modelId(), claim.version());
            task.phase("done");
            return summary(version);
        } catch (RuntimeException e) {
            boolean cancelled = e instanceof TaskCancelledException || e instanceof CancellationException;
            store.putVersion(
                version.finished(
                    cancelled ? VersionRecord.Status.CANCELLED : VersionRecord.Status.FAILED,
                    metrics,
                    e.getMessage(),
                    System.currentTimeMillis(),
                    Map.of()
                )
            );
            release(spec.modelId(), claim.version());
            if (e instanceof CancellationException) {
                throw new TaskCancelledException(e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Takes the next version number and the inactive slot. A claim left by a training whose task is gone (its node
     * stopped) is taken over; a live one is a conflict, and so is a request of another type than the model's.
     */
    private ModelRecord.TrainingClaim claim(TrainingSpec spec, String taskId) {
        String modelId = spec.modelId();
        Optional<ModelStore.Stored> stored = store.model(modelId);
        ModelRecord model = stored.map(ModelStore.Stored::model).orElseGet(() -> ModelRecord.create(modelId, spec.type(), System.currentTimeMillis()));
        if (model.type().equals(spec.type()) == false) {
            throw new ElasticsearchStatusException(
                "model [" + modelId + "] is a [" + model.type() + "] model; it cannot be trained as [" + spec.type()
                    + "] (delete it first, or choose another model id)",
                RestStatus.CONFLICT
            );
        }
        if (isTraining(model)) {
            throw new ElasticsearchStatusException(
                "model [" + modelId + "] is already being trained (version [" + model.training().version() + "], task [" + model.training().taskId() + "])",
                RestStatus.CONFLICT
            );
        }
        ModelRecord.TrainingClaim claim = new ModelRecord.TrainingClaim(model.latestVersion() + 1, model.inactiveSlot(), taskId, System.currentTimeMillis());
        store.putModel(model.claimed(claim), stored.orElse(null));
        return claim;
    }

    /** Tells every node that the model's served version changed or is gone. */
    public void switched(String modelId) {
        switched.accept(modelId);
    }

    /** Whether the model's training claim belongs to a task that is still running somewhere in the cluster. */
    public boolean isTraining(ModelRecord model) {
        if (model.training() == null) {
            return false;
        }
        try {
            GetTaskResponse response = client.admin().cluster().prepareGetTask(model.training().taskId()).get();
            return response.getTask().isCompleted() == false;
        } catch (RuntimeException e) {
            // Unknown task, or the node that ran it is gone: the claim is stale.
            return false;
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

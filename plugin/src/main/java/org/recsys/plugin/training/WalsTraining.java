package org.recsys.plugin.training;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.admin.cluster.node.tasks.get.GetTaskResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.projection.Projection;
import org.recsys.core.vector.FlatVectors;
import org.recsys.core.wals.FoldIn;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsTrainer;
import org.recsys.plugin.store.BlobCodec;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One WALS training from start to switch: check the sources and targets, claim the next version of the model, read
 * the interactions, train, write the factors into the inactive slot of the item and user indices, store ids,
 * factors and the Gram matrix, then flip the model's pointer. Until the flip, readers see the previous version; a
 * failure or cancellation anywhere leaves it served and records why in the version's document.
 */
public final class WalsTraining {

    public static final String ITEM_IDS = "item_ids";
    public static final String USER_IDS = "user_ids";
    public static final String ITEM_FACTORS = "item_factors";
    public static final String USER_FACTORS = "user_factors";
    public static final String ITEM_GRAM = "item_gram";
    public static final String PROJECTION = "projection";

    private final Client client;
    private final ModelStore store;
    private final InteractionReader reader;
    private final FactorWriter writer;

    public WalsTraining(Client client, ModelStore store) {
        this.client = client;
        this.store = store;
        this.reader = new InteractionReader(client);
        this.writer = new FactorWriter(client);
    }

    /** Runs the whole training on the calling thread; answers the finished version's summary. */
    public Map<String, Object> run(TrainingSpec spec, ModelTask task, String taskId) {
        task.phase("checking");
        int rank = spec.params().rank();
        reader.checkMapping(spec.interactions());
        writer.prepare(spec.items(), rank, false, "items");
        writer.prepare(spec.users(), rank, true, "users");
        int textDims = spec.projection() == null ? 0 : TextVectors.dims(client, spec.items().index(), spec.projection().textField());

        ModelRecord.TrainingClaim claim = claim(spec.modelId(), taskId);
        long started = System.currentTimeMillis();
        VersionRecord version = new VersionRecord(
            spec.modelId(), claim.version(), VersionRecord.Status.TRAINING, claim.slot(), specMap(spec), Map.of(), null, null, started, 0, Map.of()
        );
        store.putVersion(version);
        Map<String, Object> metrics = new LinkedHashMap<>();
        try {
            task.phase("reading");
            long t0 = System.nanoTime();
            InteractionMatrix.Builder builder = new InteractionMatrix.Builder();
            InteractionReader.Counts counts = reader.read(spec.interactions(), task, builder::add);
            if (counts.used() == 0) {
                throw new IllegalArgumentException(
                    counts.read() == 0
                        ? "no interactions to train on: no document of index [" + spec.interactions().index() + "] matches the query"
                        : "no interactions to train on: " + counts.read() + " documents of index [" + spec.interactions().index()
                            + "] match, but none has a user, an item and a valid weight"
                );
            }
            InteractionMatrix matrix = builder.build();
            double readSeconds = seconds(t0);

            task.phase("training");
            t0 = System.nanoTime();
            WalsModel model = new WalsTrainer(spec.params()).listener((it, n, loss, s) -> task.iteration(it, n, loss))
                .cancelWhen(task::isCancelled)
                .train(matrix);
            double trainSeconds = seconds(t0);

            Projection projection = null;
            FactorWriter.Fallback projected = null;
            if (spec.projection() != null) {
                task.phase("projecting");
                projection = ProjectionFitter.fit(
                    client, spec.items(), spec.projection(), textDims, matrix.items(), model.itemFactors(), rank, matrix.byItem(), task
                );
                projected = ProjectionFitter.fallback(spec.projection(), textDims, projection);
            }

            t0 = System.nanoTime();
            task.phase("writing_items");
            FactorWriter.Counts items = writer.write(
                spec.items(), claim.slot(), matrix.items(), model.itemFactors(), rank, false, projected, task, task::itemsWritten
            );
            task.phase("writing_users");
            FactorWriter.Counts users = writer.write(
                spec.users(), claim.slot(), matrix.users(), model.userFactors(), rank, true, null, task, task::usersWritten
            );
            double writeSeconds = seconds(t0);

            task.phase("storing");
            task.checkCancelled();
            Map<String, Integer> blobs = new LinkedHashMap<>();
            blobs.put(ITEM_IDS, store.putBlob(spec.modelId(), claim.version(), ITEM_IDS, BlobCodec.strings(matrix.items().ids())));
            blobs.put(USER_IDS, store.putBlob(spec.modelId(), claim.version(), USER_IDS, BlobCodec.strings(matrix.users().ids())));
            blobs.put(ITEM_FACTORS, store.putBlob(spec.modelId(), claim.version(), ITEM_FACTORS, BlobCodec.floats(model.itemFactors())));
            blobs.put(USER_FACTORS, store.putBlob(spec.modelId(), claim.version(), USER_FACTORS, BlobCodec.floats(model.userFactors())));
            double[] gram = FoldIn.gram(model.itemFactors(), matrix.items().size(), rank);
            blobs.put(ITEM_GRAM, store.putBlob(spec.modelId(), claim.version(), ITEM_GRAM, BlobCodec.doubles(gram)));
            if (projection != null) {
                blobs.put(PROJECTION, store.putBlob(spec.modelId(), claim.version(), PROJECTION, BlobCodec.floats(projection.weights())));
                metrics.put("projection", Map.of("text_dims", textDims, "items_projected", items.projected()));
            }

            metrics.put("interactions", Map.of(
                "read", counts.read(),
                "used", counts.used(),
                "distinct", matrix.nnz(),
                "skipped_missing_user_or_item", counts.missingUserOrItem(),
                "skipped_invalid_weight", counts.invalidWeight()
            ));
            metrics.put("users", matrix.users().size());
            metrics.put("items", matrix.items().size());
            metrics.put("loss", model.loss());
            metrics.put("items_written", items.written());
            metrics.put("items_cleared", items.cleared());
            metrics.put("items_without_document", items.withoutDocument());
            metrics.put("users_written", users.written());
            metrics.put("users_created", users.created());
            metrics.put("users_cleared", users.cleared());
            metrics.put("seconds", Map.of("read", readSeconds, "train", trainSeconds, "write", writeSeconds));
            // Which kernels trained it: SIMD only when the node's JVM resolves jdk.incubator.vector.
            metrics.put("kernels", FlatVectors.implementation());

            task.phase("switching");
            task.checkCancelled();
            version = version.finished(VersionRecord.Status.COMPLETE, metrics, null, System.currentTimeMillis(), blobs);
            store.putVersion(version);
            ModelStore.Stored current = store.requireModel(spec.modelId());
            store.putModel(current.model().activated(claim.version(), claim.slot()), current);
            deleteOldVersions(spec.modelId(), claim.version());
            task.phase("done");
            return summary(version);
        } catch (RuntimeException e) {
            boolean cancelled = e instanceof TaskCancelledException || e instanceof java.util.concurrent.CancellationException;
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
            if (e instanceof java.util.concurrent.CancellationException) {
                throw new TaskCancelledException(e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Takes the next version number and the inactive slot. A claim left by a training whose task is gone (its node
     * stopped) is taken over; a live one is a conflict.
     */
    private ModelRecord.TrainingClaim claim(String modelId, String taskId) {
        Optional<ModelStore.Stored> stored = store.model(modelId);
        ModelRecord model = stored.map(ModelStore.Stored::model).orElseGet(() -> ModelRecord.create(modelId, TrainingSpec.WALS, System.currentTimeMillis()));
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

    private static Map<String, Object> specMap(TrainingSpec spec) {
        try (XContentBuilder b = XContentFactory.jsonBuilder()) {
            b.startObject();
            spec.toXContent(b, ToXContent.EMPTY_PARAMS);
            b.endObject();
            return XContentHelper.convertToMap(org.elasticsearch.common.bytes.BytesReference.bytes(b), false, XContentType.JSON).v2();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }
}

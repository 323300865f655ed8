package org.recsys.plugin.projection;

import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.core.TimeValue;
import org.recsys.core.projection.Projection;
import org.recsys.ingest.ServedProjections;
import org.recsys.plugin.store.BlobCodec;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.training.FactorTarget;
import org.recsys.plugin.training.FactorWriter;
import org.recsys.plugin.training.TrainingSpec;
import org.recsys.plugin.training.WalsTraining;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

/**
 * The served projection of each model, per node, for the {@code wals_projection} processor: loaded from the model
 * store on the generic pool (never on an ingest thread) and kept for {@link #REFRESH_INTERVAL}, after which the
 * model's pointer is read again, so a node picks up a new version within that interval.
 */
public final class ProjectionCache implements ServedProjections {

    public static final Setting<TimeValue> REFRESH_INTERVAL = Setting.timeSetting(
        "recsys.projection.refresh_interval",
        TimeValue.timeValueSeconds(10),
        TimeValue.timeValueMillis(0),
        Setting.Property.NodeScope
    );

    private record Entry(Served served, long loadedNanos) {}

    private final ModelStore store;
    private final ExecutorService executor;
    private final long refreshNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public ProjectionCache(ModelStore store, ExecutorService executor, TimeValue refreshInterval) {
        this.store = store;
        this.executor = executor;
        this.refreshNanos = refreshInterval.nanos();
    }

    @Override
    public void served(String modelId, BiConsumer<Served, Exception> done) {
        Entry entry = entries.get(modelId);
        if (entry != null && System.nanoTime() - entry.loadedNanos < refreshNanos) {
            done.accept(entry.served, null);
            return;
        }
        executor.execute(() -> {
            Served served;
            try {
                served = load(modelId, entry);
            } catch (Exception e) {
                done.accept(null, e);
                return;
            }
            entries.put(modelId, new Entry(served, System.nanoTime()));
            done.accept(served, null);
        });
    }

    private Served load(String modelId, Entry previous) {
        ModelRecord model = store.requireModel(modelId).model();
        if (model.hasActiveVersion() == false) {
            throw new IllegalArgumentException("model [" + modelId + "] has no trained version yet; [wals_projection] needs one");
        }
        if (previous != null && previous.served.version() == model.activeVersion()) {
            return previous.served;
        }
        VersionRecord version = store.version(modelId, model.activeVersion());
        TrainingSpec spec = TrainingSpec.parse(modelId, version.spec(), 1);
        if (spec.projection() == null || version.blobChunks().containsKey(WalsTraining.PROJECTION) == false) {
            throw new IllegalArgumentException(
                "version [" + version.version() + "] of model [" + modelId + "] was trained without a projection; train it with \"projection\": {\"text_field\": ...}"
            );
        }
        float[] weights = BlobCodec.toFloats(store.blob(version, WalsTraining.PROJECTION));
        int rank = spec.params().rank();
        Projection projection = new Projection(weights.length / rank - 1, rank, weights);
        FactorTarget items = spec.items();
        return new Served(version.version(), projection, spec.projection().textField(), items.field(version.slot()), FactorWriter.sourceField(items, version.slot()));
    }
}

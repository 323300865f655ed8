package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.core.Releasable;
import org.elasticsearch.core.TimeValue;
import org.recsys.ingest.ServedProjections;
import org.recsys.plugin.memory.RecsysBreaker;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.training.MeluTrainingSpec;
import org.recsys.plugin.training.SequentialTrainingSpec;
import org.recsys.plugin.training.TrainingSpec;
import org.recsys.plugin.training.TrainingSpecs;
import org.recsys.plugin.training.WalsTrainingSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The served version of each model, per node: loaded from the model store on the generic pool (never on a search,
 * ingest or transport thread), one load per model at a time, at most {@link #CACHE_SIZE} models, and kept for
 * {@link #REFRESH_INTERVAL}, after which the model's pointer is read again
 * (and the version reloaded only if it changed), so a node picks up a new version within that interval at the latest;
 * a training's switch and a model's deletion tell every node at once ({@code RefreshServedModelAction}).
 */
public final class ServedModels implements ServedProjections {

    public static final Setting<TimeValue> REFRESH_INTERVAL = Setting.timeSetting(
        "recsys.models.refresh_interval",
        TimeValue.timeValueSeconds(10),
        TimeValue.timeValueMillis(0),
        Setting.Property.NodeScope
    );

    /** At most this many models are kept per node; the one used least recently goes first. */
    public static final Setting<Integer> CACHE_SIZE = Setting.intSetting("recsys.models.cache_size", 32, 1, Setting.Property.NodeScope);

    /** A cached version, and its memory held in the {@code recsys} breaker while it stays cached. */
    private record Entry(ServedModel served, long loadedNanos, Releasable reservation) {}

    private final ModelStore store;
    private final ExecutorService executor;
    private final long refreshNanos;
    private final Map<String, Entry> entries;
    /** The load under way per model: every request that finds the cache stale waits for the same one. */
    private final Map<String, SubscribableListener<ServedModel>> loading = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private final RecsysBreaker memory;

    public ServedModels(ModelStore store, ExecutorService executor, TimeValue refreshInterval, int cacheSize, RecsysBreaker memory) {
        this.store = store;
        this.executor = executor;
        this.refreshNanos = refreshInterval.nanos();
        this.memory = memory;
        this.entries = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() > cacheSize) {
                    eldest.getValue().reservation().close();
                    return true;
                }
                return false;
            }
        });
    }

    /** The model's served version, from the cache when it is fresh. */
    public void served(String modelId, ActionListener<ServedModel> listener) {
        Entry entry = entries.get(modelId);
        if (entry != null && System.nanoTime() - entry.loadedNanos < refreshNanos) {
            listener.onResponse(entry.served);
            return;
        }
        SubscribableListener<ServedModel> load = new SubscribableListener<>();
        SubscribableListener<ServedModel> running = loading.putIfAbsent(modelId, load);
        if (running != null) {
            running.addListener(listener);
            return;
        }
        load.addListener(listener);
        long generation = invalidations.get();
        executor.execute(() -> {
            try {
                ServedModel served = load(modelId, entry);
                // A load that began before an invalidation may have read the old pointer: it answers, but is not kept.
                if (invalidations.get() == generation) {
                    cache(modelId, served);
                }
                loading.remove(modelId, load);
                load.onResponse(served);
            } catch (Exception e) {
                loading.remove(modelId, load);
                load.onFailure(e);
            }
        });
    }

    /**
     * Keeps a loaded version, its memory taken from the {@code recsys} breaker (a version that does not fit is a 429
     * for the request that loaded it); a reload of the same version keeps the reservation it has.
     */
    private void cache(String modelId, ServedModel served) {
        synchronized (entries) {
            Entry old = entries.get(modelId);
            Releasable reservation = old != null && old.served == served
                ? old.reservation
                : memory.reserve(served.memoryBytes(), "served model [" + modelId + "] version [" + served.version() + "]");
            Entry replaced = entries.put(modelId, new Entry(served, System.nanoTime(), reservation));
            if (replaced != null && replaced.reservation != reservation) {
                replaced.reservation.close();
            }
        }
    }

    /** What this node serves now: each cached model's version, type and memory, by model id. */
    public Map<String, ServedModelStats> stats() {
        Map<String, ServedModelStats> out = new TreeMap<>();
        entries.forEach((id, e) -> out.put(id, new ServedModelStats(e.served.type(), e.served.version(), e.served.memoryBytes())));
        return out;
    }

    /** Drops what this node cached of the model: the next request reads its pointer again. */
    public void invalidate(String modelId) {
        invalidations.incrementAndGet();
        Entry removed = entries.remove(modelId);
        if (removed != null) {
            removed.reservation.close();
        }
    }

    /** The served version of a model that must be of the given kind; another type is a 400 that names both. */
    public <T extends ServedModel> void served(String modelId, Class<T> kind, String needs, ActionListener<T> listener) {
        served(modelId, listener.delegateFailureAndWrap((l, served) -> {
            if (kind.isInstance(served)) {
                l.onResponse(kind.cast(served));
            } else {
                l.onFailure(new IllegalArgumentException("model [" + modelId + "] is a [" + served.type() + "] model; " + needs));
            }
        }));
    }

    @Override
    public void served(String modelId, BiConsumer<Served, Exception> done) {
        served(modelId, ServedWals.class, "a cold-start projection needs a [wals] model", ActionListener.wrap(model -> {
            if (model.projection() == null) {
                done.accept(
                    null,
                    new IllegalArgumentException(
                        "version ["
                            + model.version()
                            + "] of model ["
                            + modelId
                            + "] was trained without a projection; train it with \"projection\": {\"text_field\": ...}"
                    )
                );
            } else {
                done.accept(
                    new Served(
                        model.version(),
                        model.projection(),
                        model.spec().projection().textField(),
                        model.itemField(),
                        model.itemSourceField(),
                        model.projectedField(),
                        model.spec().projection().factorField(),
                        model.documentIdCopyField()
                    ),
                    null
                );
            }
        }, e -> done.accept(null, e)));
    }

    private ServedModel load(String modelId, Entry previous) {
        ModelRecord model = store.requireModel(modelId).model();
        if (model.hasActiveVersion() == false) {
            throw new IllegalArgumentException("model [" + modelId + "] has no trained version yet");
        }
        if (previous != null && previous.served.version() == model.activeVersion()) {
            return previous.served;
        }
        VersionRecord version = store.version(modelId, model.activeVersion());
        TrainingSpec spec = TrainingSpecs.ofVersion(version);
        if (spec instanceof WalsTrainingSpec wals) {
            return ServedWals.load(store, version, wals);
        }
        if (spec instanceof MeluTrainingSpec melu) {
            return ServedMelu.load(store, version, melu);
        }
        if (spec instanceof SequentialTrainingSpec sequential) {
            return ServedSequential.load(store, version, sequential);
        }
        throw new IllegalStateException("no served form for model type [" + spec.type() + "]");
    }
}

package org.recsys.plugin.encoder;

import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.core.TimeValue;
import org.recsys.plugin.threadpool.RecsysPools;

import java.util.List;

/**
 * How texts are batched and run (node settings; a node restart applies changes). {@code workers} is the size of the
 * inference thread pool: per encoder, up to that many batches run at once, each on {@code intraOpThreads} threads.
 */
public record InferenceSettings(int batchSize, int drainSize, long maxWaitNanos, int queueSize, int workers, int intraOpThreads) {

    /** Texts per forward pass. */
    public static final Setting<Integer> BATCH_SIZE =
        Setting.intSetting("recsys.inference.batch_size", 32, 1, 1024, Setting.Property.NodeScope);
    /** Texts taken from the queue at once, sorted by length and cut into forward passes: more means less padding. */
    public static final Setting<Integer> DRAIN_SIZE =
        Setting.intSetting("recsys.inference.drain_size", 256, 1, 65536, Setting.Property.NodeScope);
    public static final Setting<TimeValue> MAX_WAIT =
        Setting.timeSetting("recsys.inference.max_wait", TimeValue.timeValueMillis(5), TimeValue.ZERO, Setting.Property.NodeScope);
    public static final Setting<Integer> QUEUE_SIZE =
        Setting.intSetting("recsys.inference.queue_size", 10_000, 1, Setting.Property.NodeScope);
    /**
     * The inference pool's size, registered by its executor builder: the workers that run batches at once. One per
     * allocated processor by default, each on one intra-op thread, so that the cores stay busy without PyTorch's
     * threads waiting for each other at every operator.
     */
    public static final String WORKERS = "thread_pool." + RecsysPools.INFERENCE + ".size";
    /** Intra-op threads of each worker's pass (PyTorch's per thread, ONNX Runtime's per session): cores / workers. */
    public static final Setting<Integer> INTRA_OP_THREADS = Setting.intSetting(
        "recsys.inference.intra_op_threads",
        s -> Integer.toString(Math.max(1, EsExecutors.allocatedProcessors(s) / s.getAsInt(WORKERS, defaultWorkers(s)))),
        1,
        1024,
        Setting.Property.NodeScope
    );

    public static int defaultWorkers(Settings settings) {
        return EsExecutors.allocatedProcessors(settings);
    }

    public static List<Setting<?>> all() {
        return List.of(BATCH_SIZE, DRAIN_SIZE, MAX_WAIT, QUEUE_SIZE, INTRA_OP_THREADS);
    }

    /** {@code workers}: the inference pool's size as the node built it. */
    public static InferenceSettings of(Settings settings, int workers) {
        return new InferenceSettings(
            BATCH_SIZE.get(settings),
            DRAIN_SIZE.get(settings),
            MAX_WAIT.get(settings).nanos(),
            QUEUE_SIZE.get(settings),
            workers,
            INTRA_OP_THREADS.get(settings)
        );
    }
}

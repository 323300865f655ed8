package org.recsys.plugin.encoder;

import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.core.TimeValue;

import java.util.List;

/** How texts are batched for a forward pass (node settings; a node restart applies changes). */
public record InferenceSettings(int batchSize, int drainSize, long maxWaitNanos, int queueSize) {

    /** Texts per forward pass. */
    public static final Setting<Integer> BATCH_SIZE = Setting.intSetting("recsys.inference.batch_size", 32, 1, 1024, Setting.Property.NodeScope);
    /** Texts taken from the queue at once, sorted by length and cut into forward passes: more means less padding. */
    public static final Setting<Integer> DRAIN_SIZE = Setting.intSetting("recsys.inference.drain_size", 256, 1, 65536, Setting.Property.NodeScope);
    public static final Setting<TimeValue> MAX_WAIT = Setting.timeSetting(
        "recsys.inference.max_wait",
        TimeValue.timeValueMillis(5),
        TimeValue.ZERO,
        Setting.Property.NodeScope
    );
    public static final Setting<Integer> QUEUE_SIZE = Setting.intSetting("recsys.inference.queue_size", 10_000, 1, Setting.Property.NodeScope);

    public static List<Setting<?>> all() {
        return List.of(BATCH_SIZE, DRAIN_SIZE, MAX_WAIT, QUEUE_SIZE);
    }

    public static InferenceSettings of(Settings settings) {
        return new InferenceSettings(BATCH_SIZE.get(settings), DRAIN_SIZE.get(settings), MAX_WAIT.get(settings).nanos(), QUEUE_SIZE.get(settings));
    }
}

package org.recsys.plugin.memory;

import org.elasticsearch.common.breaker.CircuitBreaker;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.unit.MemorySizeValue;
import org.elasticsearch.core.Releasable;
import org.elasticsearch.indices.breaker.BreakerSettings;

/**
 * The plugin's circuit breaker, {@code recsys}: a training or evaluation reserves its estimated heap before it reads
 * anything and gives it back when it ends, so trainings that would not fit together are refused with Elasticsearch's
 * own 429 ({@code circuit_breaking_exception}, naming the estimate and the limit) instead of running the node out of
 * memory. Its limit is {@code breaker.recsys.limit} (default 40% of the heap); it is a child of the parent breaker,
 * and {@code GET _nodes/stats/breaker} shows it.
 */
public final class RecsysBreaker {

    public static final String NAME = "recsys";
    static final String DEFAULT_LIMIT = "40%";

    private final CircuitBreaker breaker;

    public RecsysBreaker(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    /** What {@code CircuitBreakerPlugin#getCircuitBreaker} answers: the defaults, overridden by {@code breaker.recsys.*}. */
    public static BreakerSettings settings(Settings settings) {
        long limit = MemorySizeValue.parseBytesSizeValueOrHeapRatio(DEFAULT_LIMIT, "breaker.recsys.limit").getBytes();
        return BreakerSettings.updateFromSettings(
            new BreakerSettings(NAME, limit, 1.0, CircuitBreaker.Type.MEMORY, CircuitBreaker.Durability.TRANSIENT),
            settings
        );
    }

    /** A reservation of {@code bytes} for {@code what}; close it when the work ends. Throws a 429 when it does not fit. */
    public Releasable reserve(long bytes, String what) {
        breaker.addEstimateBytesAndMaybeBreak(bytes, what);
        return () -> breaker.addWithoutBreaking(-bytes);
    }
}

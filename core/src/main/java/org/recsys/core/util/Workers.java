package org.recsys.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Where a computation runs its parallel parts, and how it learns that it was cancelled. The algorithms start no thread
 * of their own: in a node the executor is one of Elasticsearch's pools, sized by settings with a bounded queue, so every
 * thread is one the node planned for and reports; offline it is a pool of daemon threads. The calling thread is always
 * worker 0, so {@code n} workers take {@code n - 1} threads of the executor.
 */
public final class Workers {

    private static final ExecutorService OFFLINE_THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "recsys-worker");
        t.setDaemon(true);
        return t;
    });
    private static final Workers OFFLINE = new Workers(OFFLINE_THREADS, () -> false);

    private final Executor executor;
    private final BooleanSupplier cancelled;

    public Workers(Executor executor, BooleanSupplier cancelled) {
        this.executor = executor;
        this.cancelled = cancelled;
    }

    /** Daemon threads and no cancellation: for the offline commands, benchmarks and tests. */
    public static Workers offline() {
        return OFFLINE;
    }

    /** The same executor, cancelled when {@code cancelled} answers true. */
    public static Workers offline(BooleanSupplier cancelled) {
        return new Workers(OFFLINE_THREADS, cancelled);
    }

    /** Throws {@link CancellationException} with {@code message} once the work was cancelled. */
    public void checkCancelled(String message) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException(message);
        }
    }

    /**
     * Runs {@code task} once for each worker 0 … {@code threads - 1} and returns when all are done; the first failure
     * (an {@link Error} included) is rethrown after the workers not yet started are cancelled. A full queue of the
     * executor fails the call before the calling thread does any work.
     */
    public void onEach(int threads, IntConsumer task) {
        if (threads == 1) {
            task.accept(0);
            return;
        }
        List<FutureTask<Void>> others = new ArrayList<>(threads - 1);
        try {
            for (int w = 1; w < threads; w++) {
                int worker = w;
                FutureTask<Void> future = new FutureTask<>(() -> task.accept(worker), null);
                others.add(future);
                executor.execute(future);
            }
            task.accept(0);
            for (FutureTask<Void> future : others) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            // Not interrupting: a pool thread of the node must not carry an interrupt into its next task.
            others.forEach(f -> f.cancel(false));
        }
    }
}

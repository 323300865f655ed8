package org.recsys.core.wals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** A fixed pool of workers that share out the rows of a matrix in chunks; worker w always uses scratch w. */
final class ParallelRows implements AutoCloseable {

    /** Work on rows [from, to) of chunk {@code chunk}, by worker {@code worker}. */
    interface Body {
        void run(int worker, int chunk, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;
    private final BooleanSupplier cancelled;

    ParallelRows(int threads) {
        this(threads, () -> false);
    }

    /** @param cancelled checked before every chunk and by {@link #checkCancelled}, so a cancel stops a long pass within a chunk */
    ParallelRows(int threads, BooleanSupplier cancelled) {
        this.threads = threads;
        this.cancelled = cancelled;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "recsys-wals");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Throws {@link CancellationException} once the work was cancelled. */
    void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("training cancelled");
        }
    }

    /** Work done by worker {@code worker}. */
    interface WorkerTask {
        void run(int worker);
    }

    /** Chunks of {@code chunkSize} rows, taken by whichever worker is free. */
    void dynamic(int rows, int chunkSize, Body body) {
        int chunks = (rows + chunkSize - 1) / chunkSize;
        AtomicInteger next = new AtomicInteger();
        onEachWorker(worker -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                checkCancelled();
                body.run(worker, c, c * chunkSize, Math.min(rows, (c + 1) * chunkSize));
            }
        });
    }

    /** One contiguous range per worker, the same for a given row and thread count (for reproducible sums). */
    void staticRanges(int rows, Body body) {
        onEachWorker(worker -> {
            int from = (int) ((long) rows * worker / threads);
            int to = (int) ((long) rows * (worker + 1) / threads);
            body.run(worker, worker, from, to);
        });
    }

    /** Runs {@code task} once on every worker and waits for all. */
    void onEachWorker(WorkerTask task) {
        if (pool == null) {
            task.run(0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads);
        for (int w = 0; w < threads; w++) {
            int worker = w;
            futures.add(pool.submit(() -> task.run(worker)));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}

package org.recsys.core.wals;

import org.recsys.core.util.Workers;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Workers that share out the rows of a matrix in chunks; worker w always uses scratch w. */
final class ParallelRows {

    /** Work on rows [from, to) of chunk {@code chunk}, by worker {@code worker}. */
    interface Body {
        void run(int worker, int chunk, int from, int to);
    }

    private final int threads;
    private final Workers workers;

    /** One worker on the calling thread. */
    ParallelRows() {
        this(1, Workers.offline());
    }

    /** @param workers where the workers run; its cancellation is checked before every chunk and by {@link #checkCancelled} */
    ParallelRows(int threads, Workers workers) {
        this.threads = threads;
        this.workers = workers;
    }

    int threads() {
        return threads;
    }

    /** Throws {@link CancellationException} once the work was cancelled. */
    void checkCancelled() {
        workers.checkCancelled("training cancelled");
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
    void onEachWorker(IntConsumer task) {
        workers.onEach(threads, task);
    }
}

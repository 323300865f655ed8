package org.recsys.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Gathers items that arrive concurrently (the documents of a {@code _bulk}) into batches for up to {@code workers}
 * tasks on the executor. One task at a time gathers: it takes the first waiting item, waits at most {@code maxWait}
 * for more, up to {@code maxBatch}, then hands the gathering on (to a new task while fewer than {@code workers} run)
 * and handles its batch; a task that finishes its batch gathers again if no other task is gathering. So a batch is
 * as large as what arrived in one wait, and while one batch is handled the next is already gathering. Bounded:
 * {@link #offer} refuses at once when full, so a caller can reject (429) rather than hold an ingest thread.
 */
final class BatchQueue<T> {

    private final BlockingQueue<T> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int workers;
    private final Executor executor;
    private final Consumer<List<T>> handler;
    private final BiConsumer<T, Exception> fail;
    /** Tasks started and not finished, at most {@code workers}; guarded by {@code this}. */
    private int running;
    /** Whether a task gathers (or is about to); guarded by {@code this}. */
    private boolean gathering;

    /**
     * @param handler runs each batch on the thread of the task that gathered it
     * @param fail    gets every queued item when gathering cannot go on (executor refused, thread interrupted)
     */
    BatchQueue(
        int capacity,
        int maxBatch,
        long maxWaitNanos,
        int workers,
        Executor executor,
        Consumer<List<T>> handler,
        BiConsumer<T, Exception> fail
    ) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.workers = workers;
        this.executor = executor;
        this.handler = handler;
        this.fail = fail;
    }

    /** Queues the item for the next batch; false, at once, when the queue is full. */
    boolean offer(T item) {
        if (queue.offer(item) == false) {
            return false;
        }
        startGathering();
        return true;
    }

    int size() {
        return queue.size();
    }

    /** Starts a task to gather when items wait, no task gathers and a worker is free. */
    private void startGathering() {
        synchronized (this) {
            if (gathering || running == workers || queue.isEmpty()) {
                return;
            }
            gathering = true;
            running++;
        }
        try {
            executor.execute(this::work);
        } catch (RuntimeException e) {
            synchronized (this) {
                gathering = false;
                running--;
            }
            failAll(e);
        }
    }

    /** Runs as the gathering task: gathers a batch, hands the gathering on, handles the batch, and again. */
    private void work() {
        boolean gatherer = true;
        boolean counted = true;
        try {
            while (true) {
                List<T> batch = gather();
                synchronized (this) {
                    gathering = gatherer = false;
                    if (batch.isEmpty()) {
                        running--;
                        counted = false;
                    }
                }
                // Another task gathers what waits; when nothing waits, the next item to arrive starts one.
                startGathering();
                if (batch.isEmpty()) {
                    return;
                }
                handler.accept(batch);
                synchronized (this) {
                    if (gathering || queue.isEmpty()) {
                        running--;
                        counted = false;
                        return;
                    }
                    gathering = gatherer = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failAll(e);
        } finally {
            // Only when gathering was interrupted or the handler threw.
            if (counted) {
                synchronized (this) {
                    running--;
                    if (gatherer) {
                        gathering = false;
                    }
                }
                startGathering();
            }
        }
    }

    /** The first waiting item (none: an empty batch) and what arrives within the wait, up to the batch size. */
    private List<T> gather() throws InterruptedException {
        T first = queue.poll();
        if (first == null) {
            return List.of();
        }
        List<T> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            T next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    private void failAll(Exception e) {
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            fail.accept(item, e);
        }
    }
}

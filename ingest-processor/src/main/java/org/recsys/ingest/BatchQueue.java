package org.recsys.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Gathers items that arrive concurrently (the documents of a {@code _bulk}) into batches: a drain starts on the
 * executor when the first item arrives, waits at most {@code maxWait} for more, takes up to {@code maxBatch} and
 * hands them to the handler, and goes on while items wait. Bounded: {@link #offer} refuses at once when full, so a
 * caller can reject (429) rather than hold an ingest thread.
 */
final class BatchQueue<T> {

    private final BlockingQueue<T> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Executor executor;
    private final Consumer<List<T>> handler;
    private final BiConsumer<T, Exception> fail;
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param handler runs each batch on the drain's thread
     * @param fail    gets every queued item when draining cannot go on (executor refused, thread interrupted)
     */
    BatchQueue(int capacity, int maxBatch, long maxWaitNanos, Executor executor, Consumer<List<T>> handler, BiConsumer<T, Exception> fail) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.executor = executor;
        this.handler = handler;
        this.fail = fail;
    }

    /** Queues the item for the next batch; false, at once, when the queue is full. */
    boolean offer(T item) {
        if (queue.offer(item) == false) {
            return false;
        }
        scheduleDrain();
        return true;
    }

    int size() {
        return queue.size();
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                draining.set(false);
                failAll(e);
            }
        }
    }

    private void drain() {
        try {
            while (true) {
                List<T> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                T first = queue.poll();
                if (first == null) {
                    return;
                }
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
                handler.accept(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failAll(e);
        } finally {
            draining.set(false);
            // An item may have arrived between the last poll and the reset.
            if (queue.isEmpty() == false) {
                scheduleDrain();
            }
        }
    }

    private void failAll(Exception e) {
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            fail.accept(item, e);
        }
    }
}

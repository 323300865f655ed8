package org.recsys.ingest;

import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Gathers texts that arrive concurrently (the documents of a {@code _bulk}) into batches for one forward pass: a
 * drain starts when the first text arrives, waits at most {@code maxWait} for more, takes up to {@code maxBatch},
 * and hands the batch to the encoding function on the inference executor. The queue is bounded; a full queue
 * rejects at once (429) rather than holding ingest threads.
 */
public final class MicroBatcher {

    /** One queued text and where its vector goes. */
    public record Item(String text, EncodingOptions options, BiConsumer<float[], Exception> done) {}

    /** Encodes a batch: one vector per item, in order. */
    @FunctionalInterface
    public interface BatchEncoder {
        float[][] encode(List<Item> batch) throws Exception;
    }

    private final String name;
    private final BlockingQueue<Item> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Executor executor;
    private final BatchEncoder encoder;
    private final AtomicBoolean draining = new AtomicBoolean();

    public MicroBatcher(String name, int queueSize, int maxBatch, long maxWaitNanos, Executor executor, BatchEncoder encoder) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.executor = executor;
        this.encoder = encoder;
    }

    public void submit(Item item) {
        if (queue.offer(item) == false) {
            item.done().accept(null, new EsRejectedExecutionException("the queue of encoder [" + name + "] is full (" + queue.size() + " texts waiting)"));
            return;
        }
        scheduleDrain();
    }

    public int queued() {
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
                List<Item> batch = new ArrayList<>(maxBatch);
                Item first = queue.poll();
                if (first == null) {
                    return;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Item next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failAll(e);
        } finally {
            draining.set(false);
            // A text may have arrived between the last poll and the reset.
            if (queue.isEmpty() == false) {
                scheduleDrain();
            }
        }
    }

    private void run(List<Item> batch) {
        float[][] vectors;
        try {
            vectors = encoder.encode(batch);
        } catch (Exception e) {
            batch.forEach(item -> item.done().accept(null, e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().accept(vectors[i], null);
        }
    }

    private void failAll(Exception e) {
        for (Item item = queue.poll(); item != null; item = queue.poll()) {
            item.done().accept(null, e);
        }
    }
}

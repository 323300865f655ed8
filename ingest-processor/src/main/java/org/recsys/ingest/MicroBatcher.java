package org.recsys.ingest;

import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Gathers texts that arrive concurrently (the documents of a {@code _bulk}) into batches: when the first text
 * arrives a worker on the inference executor waits at most {@code maxWait} for more, takes up to {@code maxBatch},
 * and encodes the batch, while the next free worker (up to {@code workers} at once) gathers the next one. The queue
 * is bounded; a full queue rejects at once (429) rather than holding ingest threads.
 */
public final class MicroBatcher {

    /** One queued text and where its vector goes. */
    public record Item(String text, EncodingOptions options, BiConsumer<float[], Exception> done) {}

    /** Encodes a batch: one vector per item, in order. Called from several threads at once when there are several workers. */
    @FunctionalInterface
    public interface BatchEncoder {
        float[][] encode(List<Item> batch) throws Exception;
    }

    private final String name;
    private final BatchEncoder encoder;
    private final BatchQueue<Item> queue;
    private final LongAdder rejected = new LongAdder();

    /** {@code encoder} is called by up to {@code workers} threads at once. */
    public MicroBatcher(String name, int queueSize, int maxBatch, long maxWaitNanos, int workers, Executor executor, BatchEncoder encoder) {
        this.name = name;
        this.encoder = encoder;
        this.queue =
            new BatchQueue<>(queueSize, maxBatch, maxWaitNanos, workers, executor, this::run, (item, e) -> item.done().accept(null, e));
    }

    public void submit(Item item) {
        if (queue.offer(item) == false) {
            rejected.increment();
            item.done()
                .accept(
                    null,
                    new EsRejectedExecutionException("the queue of encoder [" + name + "] is full (" + queue.size() + " texts waiting)")
                );
        }
    }

    public int queued() {
        return queue.size();
    }

    /** Texts refused because the queue was full (each a 429 to its document). */
    public long rejected() {
        return rejected.sum();
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
}

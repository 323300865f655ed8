package org.recsys.ingest;

import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.recsys.core.encoder.Pooling;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MicroBatcherTest {

    private static final EncodingOptions OPTIONS = new EncodingOptions(Pooling.MEAN, true, 128);

    @Test
    void textsArrivingTogetherShareBatchesAndEachGetsItsOwnVector() throws Exception {
        ExecutorService inference = Executors.newSingleThreadExecutor();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        MicroBatcher batcher = new MicroBatcher("test", 1000, 64, TimeUnit.MILLISECONDS.toNanos(50), 1, inference, batch -> {
            batchSizes.add(batch.size());
            return batch.stream().map(item -> new float[]{ item.text().length() }).toArray(float[][]::new);
        });
        int n = 200;
        CountDownLatch done = new CountDownLatch(n);
        float[] results = new float[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            batcher.submit(new MicroBatcher.Item("x".repeat(i + 1), OPTIONS, (vector, failure) -> {
                results[index] = vector[0];
                done.countDown();
            }));
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, results[i], 0f, "text " + i + " got another text's vector");
        }
        assertEquals(n, batchSizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batchSizes.size() <= 8 && batchSizes.stream().allMatch(s -> s <= 64), "batches: " + batchSizes);
        inference.shutdown();
    }

    @Test
    void aFullQueueRejectsAtOnceAndAFailingBatchFailsEachOfItsTexts() throws Exception {
        CountDownLatch encoding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService inference = Executors.newSingleThreadExecutor();
        MicroBatcher batcher = new MicroBatcher("tiny", 2, 1, 0, 1, inference, batch -> {
            encoding.countDown();
            release.await();
            throw new IllegalStateException("model failed");
        });
        AtomicReference<Exception> first = new AtomicReference<>();
        CountDownLatch firstDone = new CountDownLatch(1);
        batcher.submit(new MicroBatcher.Item("a", OPTIONS, (v, e) -> {
            first.set(e);
            firstDone.countDown();
        }));
        assertTrue(encoding.await(10, TimeUnit.SECONDS)); // the only worker has taken "a" and waits inside the encoder
        batcher.submit(new MicroBatcher.Item("b", OPTIONS, (v, e) -> {
        }));
        batcher.submit(new MicroBatcher.Item("c", OPTIONS, (v, e) -> {
        }));
        AtomicReference<Exception> rejected = new AtomicReference<>();
        batcher.submit(new MicroBatcher.Item("d", OPTIONS, (v, e) -> rejected.set(e)));
        assertInstanceOf(EsRejectedExecutionException.class, rejected.get());
        assertTrue(rejected.get().getMessage().contains("encoder [tiny]"), rejected.get().getMessage());
        release.countDown();
        assertTrue(firstDone.await(10, TimeUnit.SECONDS));
        assertEquals("model failed", first.get().getMessage());
        inference.shutdown();
    }

    @Test
    void severalWorkersEncodeBatchesAtOnceAndEachTextStillGetsItsOwnVector() throws Exception {
        int workers = 3;
        ExecutorService inference = Executors.newFixedThreadPool(workers);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        // The first batches stay in the encoder until `workers` of them are in it at once (or it is clear they never will be).
        CountDownLatch allWorkersEncoding = new CountDownLatch(workers);
        AtomicBoolean gaveUp = new AtomicBoolean();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        MicroBatcher batcher = new MicroBatcher("test", 10_000, 16, TimeUnit.MILLISECONDS.toNanos(2), workers, inference, batch -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            allWorkersEncoding.countDown();
            if (gaveUp.get() == false && allWorkersEncoding.await(10, TimeUnit.SECONDS) == false) {
                gaveUp.set(true);
            }
            running.decrementAndGet();
            batchSizes.add(batch.size());
            return batch.stream().map(item -> new float[]{ Float.parseFloat(item.text()) }).toArray(float[][]::new);
        });
        int n = 600;
        CountDownLatch done = new CountDownLatch(n);
        float[] results = new float[n];
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.execute(() -> {
                for (int i = client; i < n; i += 4) {
                    int index = i;
                    batcher.submit(new MicroBatcher.Item(Integer.toString(i), OPTIONS, (vector, failure) -> {
                        results[index] = vector[0];
                        done.countDown();
                    }));
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        for (int i = 0; i < n; i++) {
            assertEquals(i, results[i], 0f, "text " + i + " got another text's vector");
        }
        assertEquals(n, batchSizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batchSizes.stream().allMatch(s -> s <= 16), "batches: " + batchSizes);
        assertEquals(workers, mostAtOnce.get(), "batches encoded at once");
        assertEquals(0, batcher.queued());
        clients.shutdown();
        inference.shutdown();
    }

    @Test
    void aHandlerThatThrowsDoesNotStopLaterBatches() throws Exception {
        // One worker: if the throw kept it counted as running, or nothing gathered after it, "good" would wait for ever.
        ExecutorService inference = Executors.newSingleThreadExecutor();
        List<String> handled = new CopyOnWriteArrayList<>();
        CountDownLatch goodQueued = new CountDownLatch(1);
        CountDownLatch later = new CountDownLatch(1);
        BatchQueue<String> queue = new BatchQueue<>(100, 1, 0, 1, inference, batch -> {
            if (batch.get(0).equals("bad")) {
                awaitUninterruptibly(goodQueued); // "good" waits in the queue when the handler throws
                throw new IllegalStateException("a callback failed");
            }
            handled.addAll(batch);
            later.countDown();
        }, (item, e) -> {
        });
        assertTrue(queue.offer("bad"));
        assertTrue(queue.offer("good"));
        goodQueued.countDown();
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("good"), handled);
        inference.shutdown();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

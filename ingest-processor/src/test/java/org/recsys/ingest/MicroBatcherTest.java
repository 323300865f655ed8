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
        MicroBatcher batcher = new MicroBatcher("test", 1000, 64, TimeUnit.MILLISECONDS.toNanos(50), inference, batch -> {
            batchSizes.add(batch.size());
            return batch.stream().map(item -> new float[] { item.text().length() }).toArray(float[][]::new);
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
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService inference = Executors.newSingleThreadExecutor();
        MicroBatcher batcher = new MicroBatcher("tiny", 2, 1, 0, inference, batch -> {
            release.await();
            throw new IllegalStateException("model failed");
        });
        AtomicReference<Exception> first = new AtomicReference<>();
        CountDownLatch firstDone = new CountDownLatch(1);
        batcher.submit(new MicroBatcher.Item("a", OPTIONS, (v, e) -> {
            first.set(e);
            firstDone.countDown();
        }));
        Thread.sleep(100); // the drain has taken "a" and waits inside the encoder
        batcher.submit(new MicroBatcher.Item("b", OPTIONS, (v, e) -> {}));
        batcher.submit(new MicroBatcher.Item("c", OPTIONS, (v, e) -> {}));
        AtomicReference<Exception> rejected = new AtomicReference<>();
        batcher.submit(new MicroBatcher.Item("d", OPTIONS, (v, e) -> rejected.set(e)));
        assertInstanceOf(EsRejectedExecutionException.class, rejected.get());
        assertTrue(rejected.get().getMessage().contains("encoder [tiny]"), rejected.get().getMessage());
        release.countDown();
        assertTrue(firstDone.await(10, TimeUnit.SECONDS));
        assertEquals("model failed", first.get().getMessage());
        inference.shutdown();
    }
}

package org.recsys.core.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkersTest {

    @Test
    void theCallerIsWorkerZeroAndTheOthersRunOnTheExecutor() {
        List<Runnable> submitted = new ArrayList<>();
        Executor recording = runnable -> {
            submitted.add(runnable);
            Workers.offline().onEach(1, w -> runnable.run());
        };
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        Thread caller = Thread.currentThread();
        Thread[] zero = new Thread[1];
        new Workers(recording, () -> false).onEach(4, worker -> {
            seen.add(worker);
            if (worker == 0) {
                zero[0] = Thread.currentThread();
            }
        });
        assertEquals(Set.of(0, 1, 2, 3), seen);
        assertEquals(3, submitted.size(), "workers 1..3 go to the executor");
        assertSame(caller, zero[0]);
    }

    @Test
    void oneWorkerNeverTouchesTheExecutor() {
        Executor refusing = runnable -> {
            throw new AssertionError("no thread wanted");
        };
        AtomicInteger runs = new AtomicInteger();
        new Workers(refusing, () -> false).onEach(1, w -> runs.incrementAndGet());
        assertEquals(1, runs.get());
    }

    @Test
    void aWorkersFailureIsRethrownErrorsIncluded() {
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Workers.offline().onEach(3, w -> {
            if (w == 2) {
                throw new IllegalStateException("worker 2 failed");
            }
        }));
        assertEquals("worker 2 failed", failure.getMessage());
        OutOfMemoryError oom = assertThrows(OutOfMemoryError.class, () -> Workers.offline().onEach(2, w -> {
            if (w == 1) {
                throw new OutOfMemoryError("worker 1 out of heap");
            }
        }));
        assertEquals("worker 1 out of heap", oom.getMessage());
    }

    @Test
    void aFullQueueFailsTheCallBeforeAnyWork() {
        Executor full = runnable -> {
            throw new RejectedExecutionException("queue full");
        };
        AtomicInteger runs = new AtomicInteger();
        RejectedExecutionException rejected =
            assertThrows(RejectedExecutionException.class, () -> new Workers(full, () -> false).onEach(2, w -> runs.incrementAndGet()));
        assertEquals("queue full", rejected.getMessage());
        assertEquals(0, runs.get());
    }

    @Test
    void cancellationIsAnsweredByTheSupplier() {
        AtomicInteger checks = new AtomicInteger();
        Workers workers = Workers.offline(() -> checks.incrementAndGet() > 1);
        workers.checkCancelled("not yet");
        CancellationException cancelled = assertThrows(CancellationException.class, () -> workers.checkCancelled("cancelled now"));
        assertEquals("cancelled now", cancelled.getMessage());
    }
}

package org.recsys.ingest;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.action.get.MultiGetResponse;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.get.GetResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReusableVectorLookupTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<MultiGetRequest> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void lookupsArrivingTogetherShareOneMultiGetThatReadsOnlyTheHashAndTheVector() throws Exception {
        // Stored: every even id with hash "h<id>" and a vector; odd ids with another hash; ids from 200 on absent.
        Map<String, String> stored = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String hash = i % 2 == 0 ? "h" + i : "stale";
            stored.put(String.valueOf(i), "{\"meta\": {\"hash\": \"" + hash + "\"}, \"v\": [" + i + ", 0.5]}");
        }
        ReusableVectorLookup lookups =
            new ReusableVectorLookup(answering(stored), executor, 10_000, 1_000, TimeUnit.MILLISECONDS.toNanos(200));
        int n = 250;
        List<?>[] found = new List<?>[n];
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int doc = i;
            lookups.find(
                new ReusableVectorLookup.Lookup(
                    "items",
                    String.valueOf(i),
                    i == 0 ? "shard-key" : null,
                    "meta.hash",
                    "v",
                    "h" + i,
                    (vector, failure) -> {
                        assertNull(failure);
                        found[doc] = vector;
                        done.countDown();
                    }
                )
            );
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));

        assertEquals(1, requests.size(), "one multi-get for documents that arrive together");
        List<MultiGetRequest.Item> items = requests.get(0).getItems();
        assertEquals(n, items.size());
        assertEquals("shard-key", items.get(0).routing());
        assertArrayEquals(new String[]{ "meta.hash", "v" }, items.get(0).fetchSourceContext().includes());
        assertEquals(Boolean.FALSE, items.get(0).fetchSourceContext().excludeVectors());
        for (int i = 0; i < n; i++) {
            if (i < 200 && i % 2 == 0) {
                assertEquals(List.of(i, 0.5), found[i], "document " + i + " has an unchanged hash");
            } else {
                assertNull(found[i], "document " + i + " is changed or absent");
            }
        }
    }

    @Test
    void whateverPreventsALookupMeansEncodeNotFail() throws Exception {
        Map<String, String> stored = Map.of(
            "no-vector",
            "{\"h\": \"x\"}",
            "text-vector",
            "{\"h\": \"x\", \"v\": \"not numbers\"}",
            "empty-vector",
            "{\"h\": \"x\", \"v\": []}",
            "ok",
            "{\"h\": \"x\", \"v\": [1.0]}"
        );
        BiConsumer<MultiGetRequest, ActionListener<MultiGetResponse>> answer = answering(stored);
        BiConsumer<MultiGetRequest, ActionListener<MultiGetResponse>> missingIndex = (request, listener) -> {
            requests.add(request);
            MultiGetItemResponse[] items = request.getItems()
                .stream()
                .map(
                    i -> new MultiGetItemResponse(
                        null,
                        new MultiGetResponse.Failure(i.index(), i.id(), new IndexNotFoundException(i.index()))
                    )
                )
                .toArray(MultiGetItemResponse[]::new);
            listener.onResponse(new MultiGetResponse(items));
        };
        assertEquals(Arrays.asList(null, null, null, List.of(1.0)), findAll(answer, "no-vector", "text-vector", "empty-vector", "ok"));
        assertEquals(Arrays.asList(null, null), findAll(missingIndex, "ok", "other"));
        assertEquals(
            Arrays.asList(null, null),
            findAll((request, listener) -> listener.onFailure(new IllegalStateException("no shard")), "ok", "a")
        );
        assertEquals(Arrays.asList((Object) null), findAll((request, listener) -> {
            throw new IllegalStateException("client closed");
        }, "ok"));
    }

    @Test
    void aFullQueueRejectsAtOnce() {
        List<Runnable> neverRun = new ArrayList<>();
        ReusableVectorLookup lookups = new ReusableVectorLookup(answering(Map.of()), neverRun::add, 1, 10, 0);
        lookups.find(new ReusableVectorLookup.Lookup("i", "1", null, "h", "v", "x", (v, e) -> {
        }));
        AtomicReference<Exception> rejected = new AtomicReference<>();
        lookups.find(new ReusableVectorLookup.Lookup("i", "2", null, "h", "v", "x", (v, e) -> rejected.set(e)));
        assertInstanceOf(EsRejectedExecutionException.class, rejected.get());
        assertTrue(rejected.get().getMessage().contains("lookup queue is full"), rejected.get().getMessage());
    }

    /** Looks up each id with hash "x" in vector field "v", hash field "h"; the found vectors in order. */
    private List<?> findAll(BiConsumer<MultiGetRequest, ActionListener<MultiGetResponse>> multiGet, String... ids) throws Exception {
        ReusableVectorLookup lookups = new ReusableVectorLookup(multiGet, executor, 100, 100, TimeUnit.MILLISECONDS.toNanos(50));
        List<Object> found = Arrays.asList(new Object[ids.length]);
        CountDownLatch done = new CountDownLatch(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int doc = i;
            lookups.find(new ReusableVectorLookup.Lookup("items", ids[i], null, "h", "v", "x", (vector, failure) -> {
                assertNull(failure);
                found.set(doc, vector);
                done.countDown();
            }));
        }
        assertTrue(done.await(10, TimeUnit.SECONDS), "every lookup answers");
        return found;
    }

    /** A multi-get over the given sources by id (unfiltered: filtering is the shard's job), recording each request. */
    private BiConsumer<MultiGetRequest, ActionListener<MultiGetResponse>> answering(Map<String, String> sources) {
        return (request, listener) -> {
            requests.add(request);
            MultiGetItemResponse[] items = new MultiGetItemResponse[request.getItems().size()];
            for (int i = 0; i < items.length; i++) {
                MultiGetRequest.Item item = request.getItems().get(i);
                String source = sources.get(item.id());
                GetResult result = source == null
                    ? new GetResult(item.index(), item.id(), -2, 0, -1, false, null, null, null)
                    : new GetResult(item.index(), item.id(), 0, 1, 1, true, new BytesArray(source), null, null);
                items[i] = new MultiGetItemResponse(new GetResponse(result), null);
            }
            executor.execute(() -> listener.onResponse(new MultiGetResponse(items)));
        };
    }
}

package org.recsys.ingest;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.action.get.MultiGetResponse;
import org.elasticsearch.common.util.concurrent.EsRejectedExecutionException;
import org.elasticsearch.common.xcontent.support.XContentMapValues;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Finds the vectors that {@code skip_unchanged} may reuse: for each document, the stored hash and vector are read
 * from the document being replaced, and the vector is returned when the stored hash equals the new one. The lookups
 * of documents that arrive together (a {@code _bulk}) share one multi-get that reads only those two fields of
 * {@code _source}. Anything that prevents a lookup (no such index or document, a failed get, no stored vector)
 * answers "not found", and the document is encoded as without the option.
 */
public final class ReusableVectorLookup {

    /** Lookups waiting before documents are rejected (429), as many as an encoder's queue holds by default. */
    static final int QUEUE_SIZE = 10_000;
    /** Documents per multi-get: two bulk requests' worth; the get of a few fields costs little beside encoding. */
    static final int MAX_BATCH = 1_000;
    /** A {@code _bulk}'s documents reach the processor within a few milliseconds of each other. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /**
     * One document to look up. {@code done} gets the stored vector (a list of numbers as {@code _source} holds it)
     * when the stored hash matches, null when the document must be encoded, or a failure when the lookup queue is
     * full.
     */
    public record Lookup(
        String index,
        String id,
        String routing,
        String hashField,
        String vectorField,
        String hash,
        BiConsumer<List<?>, Exception> done
    ) {}

    private final BiConsumer<MultiGetRequest, ActionListener<MultiGetResponse>> multiGet;
    private final Executor executor;
    private final BatchQueue<Lookup> queue;

    /**
     * @param multiGet a multi-get of the stored hashes; one batch may hold documents of several requests, so it must not run as any one caller
     * @param executor drains the queue and takes responses off the thread that delivers them (may be a transport
     *                 thread), so that encoding and the rest of the pipeline never run there
     */
    public ReusableVectorLookup(BiConsumer<MultiGetRequest, ActionListener<MultiGetResponse>> multiGet, Executor executor) {
        this(multiGet, executor, QUEUE_SIZE, MAX_BATCH, MAX_WAIT_NANOS);
    }

    ReusableVectorLookup(
        BiConsumer<MultiGetRequest, ActionListener<MultiGetResponse>> multiGet,
        Executor executor,
        int queueSize,
        int maxBatch,
        long maxWaitNanos
    ) {
        this.multiGet = multiGet;
        this.executor = executor;
        // One gatherer is enough: a multi-get only starts on the gathering thread and completes elsewhere.
        this.queue =
            new BatchQueue<>(queueSize, maxBatch, maxWaitNanos, 1, executor, this::lookUp, (lookup, e) -> lookup.done().accept(null, e));
    }

    public void find(Lookup lookup) {
        if (queue.offer(lookup) == false) {
            lookup.done()
                .accept(
                    null,
                    new EsRejectedExecutionException("the stored-vector lookup queue is full (" + queue.size() + " documents waiting)")
                );
        }
    }

    private void lookUp(List<Lookup> batch) {
        MultiGetRequest request = new MultiGetRequest();
        for (Lookup l : batch) {
            // excludeVectors false: an index that keeps vectors out of _source still returns them.
            request.add(
                new MultiGetRequest.Item(l.index(), l.id()).routing(l.routing())
                    .fetchSourceContext(FetchSourceContext.of(true, false, new String[]{ l.hashField(), l.vectorField() }, null))
            );
        }
        ActionListener<MultiGetResponse> listener = ActionListener.wrap(
            response -> executor.execute(() -> complete(batch, response)),
            failure -> executor.execute(() -> batch.forEach(l -> l.done().accept(null, null)))
        );
        try {
            multiGet.accept(request, listener);
        } catch (RuntimeException e) {
            listener.onFailure(e);
        }
    }

    private static void complete(List<Lookup> batch, MultiGetResponse response) {
        MultiGetItemResponse[] items = response.getResponses();
        for (int i = 0; i < batch.size(); i++) {
            Lookup l = batch.get(i);
            List<?> vector;
            try {
                vector = i < items.length ? unchangedVector(l, items[i]) : null;
            } catch (RuntimeException e) {
                vector = null; // an unreadable _source: encode, and let the others of the batch go on
            }
            l.done().accept(vector, null);
        }
    }

    /** The stored vector when the document exists, its stored hash equals the lookup's and it holds a vector. */
    static List<?> unchangedVector(Lookup lookup, MultiGetItemResponse item) {
        if (item.isFailed() || item.getResponse().isExists() == false || item.getResponse().isSourceEmpty()) {
            return null;
        }
        Map<String, Object> source = item.getResponse().getSourceAsMap();
        if (lookup.hash().equals(XContentMapValues.extractValue(lookup.hashField(), source)) == false) {
            return null;
        }
        Object vector = XContentMapValues.extractValue(lookup.vectorField(), source);
        if (vector instanceof List<?> list && list.isEmpty() == false && list.stream().allMatch(Number.class::isInstance)) {
            return list;
        }
        return null;
    }
}

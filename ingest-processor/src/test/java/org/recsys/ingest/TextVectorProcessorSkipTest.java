package org.recsys.ingest;

import org.elasticsearch.ElasticsearchParseException;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.action.get.MultiGetResponse;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.index.VersionType;
import org.elasticsearch.index.get.GetResult;
import org.elasticsearch.ingest.IngestDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.recsys.core.encoder.Pooling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code text_vector} with {@code skip_unchanged}: which documents keep their stored vector, and what is stored. */
class TextVectorProcessorSkipTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<String> encoded = new CopyOnWriteArrayList<>();
    private final AtomicInteger skipped = new AtomicInteger();
    private final List<MultiGetRequest> multiGets = new CopyOnWriteArrayList<>();
    /** The index as the processor would find it, by id. */
    private final Map<String, Map<String, Object>> stored = new HashMap<>();

    private final TextEncoders encoders = new TextEncoders() {
        @Override
        public void checkRegistered(String encoderId) {}

        @Override
        public EncodingOptions defaults(String encoderId) {
            return new EncodingOptions(Pooling.MEAN, true, 128);
        }

        @Override
        public boolean encodesFactors(String encoderId) {
            return false;
        }

        @Override
        public void encode(String encoderId, String text, EncodingOptions options, BiConsumer<float[], Exception> done) {
            encoded.add(text);
            done.accept(new float[]{ text.length(), 1f }, null);
        }

        @Override
        public void countSkipped(String encoderId) {
            skipped.incrementAndGet();
        }
    };

    private final ReusableVectorLookup storedVectors = new ReusableVectorLookup((request, listener) -> {
        multiGets.add(request);
        MultiGetItemResponse[] items = request.getItems().stream().map(item -> {
            Map<String, Object> source = stored.get(item.id());
            GetResult result = source == null
                ? new GetResult(item.index(), item.id(), -2, 0, -1, false, null, null, null)
                : new GetResult(item.index(), item.id(), 0, 1, 1, true, new BytesArray(toJson(source)), null, null);
            return new MultiGetItemResponse(new GetResponse(result), null);
        }).toArray(MultiGetItemResponse[]::new);
        listener.onResponse(new MultiGetResponse(items));
    }, executor);

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void anUnchangedTextKeepsItsStoredVectorAndAChangedOneIsEncoded() throws Exception {
        TextVectorProcessor processor = processor(Map.of("skip_unchanged", true));
        IngestDocument first = run(processor, doc("1", "Star Wars"));
        assertEquals(List.of("Star Wars"), encoded);
        String hash = first.getFieldValue("v_hash", String.class);
        assertEquals(64, hash.length(), hash);
        stored.put("1", Map.of("v", List.of(0.25, -0.5), "v_hash", hash));

        IngestDocument again = run(processor, doc("1", "Star Wars"));
        assertEquals(List.of("Star Wars"), encoded, "the same text is not encoded again");
        assertEquals(List.of(0.25, -0.5), again.getFieldValue("v", List.class), "the stored vector is kept");
        assertEquals(hash, again.getFieldValue("v_hash", String.class));
        assertEquals(1, skipped.get());

        IngestDocument changed = run(processor, doc("1", "Star Wars: A New Hope"));
        assertEquals(List.of("Star Wars", "Star Wars: A New Hope"), encoded);
        assertEquals(List.of(21f, 1f), changed.getFieldValue("v", List.class));
        assertNotEquals(hash, changed.getFieldValue("v_hash", String.class));
        assertEquals(1, skipped.get());

        MultiGetRequest.Item lookup = multiGets.get(0).getItems().get(0);
        assertEquals("items", lookup.index());
        assertEquals("1", lookup.id());
    }

    @Test
    void anyChangeOfWhatIsEncodedChangesTheHash() throws Exception {
        stored.put("1", Map.of("v", List.of(1.0), "v_hash", hashOf(Map.of("skip_unchanged", true), "Star Wars")));
        encoded.clear();
        for (Map<String, Object> other : List.<Map<String, Object>>of(
            Map.of("skip_unchanged", true, "pooling", "cls"),
            Map.of("skip_unchanged", true, "normalize", false),
            Map.of("skip_unchanged", true, "max_seq_length", 64),
            Map.of("skip_unchanged", true, "encoder", "other")
        )) {
            run(processor(other), doc("1", "Star Wars"));
            assertEquals(1, encoded.size(), "re-encoded with " + other);
            encoded.clear();
        }
        run(processor(Map.of("skip_unchanged", true)), doc("1", "Star Wars!"));
        assertEquals(List.of("Star Wars!"), encoded);
        assertEquals(0, skipped.get());
    }

    @Test
    void theHashIsStableAcrossReleases() throws Exception {
        // Hashes stored by earlier releases must keep matching: a change here re-encodes every user's documents.
        // python3 -c "import hashlib; print(hashlib.sha256(b'text_vector/1\x00minilm\x00mean\x00true\x00128\x00Star Wars').hexdigest())"
        assertEquals(
            "b947822a6ed40e7a584953e14668aa23a0536eb4db2ae1c95f7dfcad5ca810f4",
            hashOf(Map.of("skip_unchanged", true), "Star Wars")
        );
    }

    @Test
    void documentsWithoutAnIdAreEncodedWithoutALookupAndNoOptionMeansNoHash() throws Exception {
        IngestDocument noId = run(processor(Map.of("skip_unchanged", true, "hash_field", "meta.text_hash")), doc(null, "Alien"));
        assertTrue(noId.hasField("meta.text_hash"));
        IngestDocument plain = run(processor(Map.of()), doc("1", "Alien"));
        assertFalse(plain.hasField("v_hash"));
        assertEquals(List.of("Alien", "Alien"), encoded);
        assertTrue(multiGets.isEmpty(), "no lookups: " + multiGets);
    }

    @Test
    void aFieldPathThatCannotBeSetFailsThatDocumentOnly() {
        IngestDocument badTarget = doc("1", "Alien");
        badTarget.setFieldValue("meta", "a string, not an object");
        ExecutionException target =
            assertThrows(ExecutionException.class, () -> run(processor(Map.of("target_field", "meta.v")), badTarget));
        assertInstanceOf(IllegalArgumentException.class, target.getCause());
        IngestDocument badHash = doc("1", "Alien");
        badHash.setFieldValue("meta", "a string, not an object");
        ExecutionException hash = assertThrows(
            ExecutionException.class,
            () -> run(processor(Map.of("skip_unchanged", true, "hash_field", "meta.hash")), badHash)
        );
        assertInstanceOf(IllegalArgumentException.class, hash.getCause());
    }

    @Test
    void hashFieldNeedsSkipUnchangedAndMustDifferFromTheTarget() {
        ElasticsearchParseException unused = assertThrows(ElasticsearchParseException.class, () -> processor(Map.of("hash_field", "h")));
        assertTrue(unused.getMessage().contains("[hash_field] is only used with [skip_unchanged: true]"), unused.getMessage());
        ElasticsearchParseException same =
            assertThrows(ElasticsearchParseException.class, () -> processor(Map.of("skip_unchanged", true, "hash_field", "v")));
        assertTrue(same.getMessage().contains("must be a field name other than [target_field]"), same.getMessage());
    }

    private String hashOf(Map<String, Object> options, String title) throws Exception {
        return run(processor(options), doc(null, title)).getFieldValue("v_hash", String.class);
    }

    private TextVectorProcessor processor(Map<String, Object> options) {
        Map<String, Object> config = new HashMap<>(Map.of("fields", "title", "target_field", "v", "encoder", "minilm"));
        config.putAll(options);
        return new TextVectorProcessor.Factory(encoders, storedVectors).create(Map.of(), "tag", null, config);
    }

    private static IngestDocument doc(String id, String title) {
        return new IngestDocument("items", id, 1, null, VersionType.INTERNAL, new HashMap<>(Map.of("title", title)));
    }

    private static IngestDocument run(TextVectorProcessor processor, IngestDocument document) throws Exception {
        CompletableFuture<IngestDocument> result = new CompletableFuture<>();
        processor.execute(document, (d, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(d);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private static String toJson(Map<String, Object> source) {
        StringBuilder json = new StringBuilder("{");
        source.forEach(
            (k, v) -> json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":")
                .append(v instanceof String ? "\"" + v + "\"" : v)
        );
        return json.append('}').toString();
    }
}

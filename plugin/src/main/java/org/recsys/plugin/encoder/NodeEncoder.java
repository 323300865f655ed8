package org.recsys.plugin.encoder;

import org.elasticsearch.core.Releasable;
import org.recsys.core.encoder.TextEncoder;
import org.recsys.ingest.EncodingOptions;
import org.recsys.ingest.MicroBatcher;
import org.recsys.plugin.memory.RecsysBreaker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * One registered encoder on this node: its micro-batcher, its model (loaded on an inference thread by the first
 * batch, not on an ingest thread; one copy shared by the workers) and its counters.
 */
final class NodeEncoder {

    private final EncoderRegistration registration;
    private final Path dir;
    private final int batchSize;
    private final int intraOpThreads;
    private final MicroBatcher batcher;
    private final LongAdder documents = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final RecsysBreaker memory;
    private volatile TextEncoder encoder;
    /** The loaded model's weights held in the {@code recsys} breaker. Guarded by {@code this}. */
    private Releasable reservation;
    /** Workers encoding with the model now; the last one closes it after {@link #close}. Guarded by {@code this}. */
    private int users;
    private boolean closed;

    NodeEncoder(EncoderRegistration registration, Path dir, InferenceSettings settings, Executor inference, RecsysBreaker memory) {
        this.registration = registration;
        this.memory = memory;
        this.dir = dir;
        this.batchSize = settings.batchSize();
        this.intraOpThreads = settings.intraOpThreads();
        this.batcher = new MicroBatcher(
            registration.id(),
            settings.queueSize(),
            settings.drainSize(),
            settings.maxWaitNanos(),
            settings.workers(),
            inference,
            this::encode
        );
    }

    EncoderRegistration registration() {
        return registration;
    }

    void submit(MicroBatcher.Item item) {
        batcher.submit(item);
    }

    void countSkipped() {
        skipped.increment();
    }

    private float[][] encode(List<MicroBatcher.Item> items) throws IOException {
        long start = System.nanoTime();
        TextEncoder e = acquire();
        try {
            return encode(e, items);
        } finally {
            release();
            nanos.add(System.nanoTime() - start);
        }
    }

    private float[][] encode(TextEncoder e, List<MicroBatcher.Item> items) {
        // Texts with the same options share forward passes.
        Map<EncodingOptions, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            groups.computeIfAbsent(items.get(i).options(), o -> new ArrayList<>()).add(i);
        }
        float[][] vectors = new float[items.size()][];
        for (Map.Entry<EncodingOptions, List<Integer>> g : groups.entrySet()) {
            EncodingOptions o = g.getKey();
            int maxLength = Math.min(o.maxSequenceLength(), e.maxSequenceLength());
            List<String> texts = g.getValue().stream().map(i -> items.get(i).text()).toList();
            TextEncoder.Result r =
                EncoderRegistry.withPluginClassLoader(() -> e.encodeByLength(texts, o.pooling(), o.normalize(), maxLength, batchSize));
            for (int j = 0; j < texts.size(); j++) {
                vectors[g.getValue().get(j)] = r.vectors()[j];
                tokens.add(r.tokens()[j]);
            }
            truncated.add(r.truncated());
            batches.add((texts.size() + batchSize - 1) / batchSize);
        }
        documents.add(items.size());
        return vectors;
    }

    private synchronized TextEncoder acquire() throws IOException {
        if (closed) {
            throw new IllegalStateException("encoder [" + registration.id() + "] was deleted or changed");
        }
        if (encoder == null) {
            TextEncoder loaded = EncoderRegistry.withPluginClassLoader(() -> TextEncoder.load(dir, intraOpThreads));
            try {
                // The weights (in PyTorch's or ONNX Runtime's memory) count as their file's size while the model is loaded.
                reservation = memory.reserve(Files.size(loaded.transformer().file()), "encoder [" + registration.id() + "]");
            } catch (RuntimeException | IOException e) {
                loaded.close();
                throw e;
            }
            encoder = loaded;
        }
        users++;
        return encoder;
    }

    private synchronized void release() {
        users--;
        closeIfUnused();
    }

    /** Closes the model now, or when the last worker still encoding with it is done. */
    synchronized void close() {
        closed = true;
        closeIfUnused();
    }

    private void closeIfUnused() {
        if (closed && users == 0 && encoder != null) {
            encoder.close();
            encoder = null;
            reservation.close();
            reservation = null;
        }
    }

    EncoderStats stats() {
        long modelBytes = 0;
        TextEncoder loaded = encoder;
        if (loaded != null) {
            try {
                modelBytes = Files.size(loaded.transformer().file());
            } catch (IOException e) {
                modelBytes = -1;
            }
        }
        return new EncoderStats(
            registration.id(),
            loaded != null,
            modelBytes,
            documents.sum(),
            batches.sum(),
            tokens.sum(),
            truncated.sum(),
            nanos.sum() / 1_000_000,
            batcher.queued(),
            batcher.rejected(),
            skipped.sum()
        );
    }
}

package org.recsys.ingest;

import java.util.function.BiConsumer;

/**
 * What the {@code text_vector} processor needs from the node: registered encoders by id. Implemented by the plugin
 * (registrations in cluster state, models loaded lazily per node).
 */
public interface TextEncoders {

    /** Fails with an exception naming the id (a 404) when no encoder is registered under it. */
    void checkRegistered(String encoderId);

    /** The encoder's default options, overridden by whatever a processor sets. */
    EncodingOptions defaults(String encoderId);

    /** Whether the encoder's vectors are a projection head's factors, whose length carries the score (never normalised). */
    boolean encodesFactors(String encoderId);

    /**
     * Encodes one text asynchronously; {@code done} gets the vector or the failure, on an inference thread.
     * Fails fast (a 429) when the encoder's queue is full.
     */
    void encode(String encoderId, String text, EncodingOptions options, BiConsumer<float[], Exception> done);

    /**
     * Counts a document that kept its stored vector because its text hash was unchanged ({@code skip_unchanged}).
     * Never fails: the count of an encoder deleted meanwhile is dropped.
     */
    void countSkipped(String encoderId);
}

package org.recsys.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash that {@code skip_unchanged} stores beside a vector: SHA-256 of everything that decides the vector, i.e.
 * the encoder id, pooling, normalisation, sequence limit and the joined text, so that a change of any of them
 * re-encodes. A collision would keep a wrong vector, hence a cryptographic hash rather than a fast one; it costs
 * microseconds beside milliseconds of inference.
 */
final class TextHash {

    /** Bumped when what the hash covers changes, so that older hashes no longer match. */
    private static final String VERSION = "text_vector/1";

    private TextHash() {}

    static String of(String encoderId, EncodingOptions options, String text) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java runtime has SHA-256", e);
        }
        // Encoder ids and pooling ids cannot hold '\0', and the text comes last: the fields cannot run into each other.
        String head = VERSION + '\0' + encoderId + '\0' + options.pooling().id() + '\0' + options.normalize() + '\0'
            + options.maxSequenceLength() + '\0';
        sha256.update(head.getBytes(StandardCharsets.UTF_8));
        sha256.update(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha256.digest());
    }
}

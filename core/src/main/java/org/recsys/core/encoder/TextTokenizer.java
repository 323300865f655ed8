package org.recsys.core.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (WordPiece or byte-level BPE), read locally. Whatever padding or truncation
 * the file sets is overridden: sequences are cut per request and padded per batch.
 */
public final class TextTokenizer implements AutoCloseable {

    /** Characters kept per allowed token before tokenizing, so that a huge text costs no more than a long one. */
    static final int CHARS_PER_TOKEN_KEPT = 32;

    /** Token ids with special tokens, and whether the text was cut to fit. */
    public record Tokens(long[] ids, boolean truncated) {}

    private final HuggingFaceTokenizer tokenizer;
    private final int modelMaxLength;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int modelMaxLength) {
        this.tokenizer = tokenizer;
        this.modelMaxLength = modelMaxLength;
    }

    public static TextTokenizer load(Path tokenizerJson, int modelMaxLength) throws IOException {
        DjlEngines.pytorch(); // offline mode before DJL classes load
        Map<String, String> options =
            Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "true", "maxLength", String.valueOf(modelMaxLength));
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options), modelMaxLength);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(tokenizerJson + " is not a readable tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** Tokenizes {@code text} into at most {@code maxLength} ids, keeping the closing special token when cutting. */
    public Tokens encode(String text, int maxLength) {
        if (maxLength < 2 || maxLength > modelMaxLength) {
            throw new IllegalArgumentException(
                "max_seq_length [" + maxLength + "] must be between 2 and the model's limit [" + modelMaxLength + "]"
            );
        }
        long keptChars = (long) maxLength * CHARS_PER_TOKEN_KEPT;
        boolean cut = text.length() > keptChars;
        Encoding encoding = tokenizer.encode(cut ? text.substring(0, (int) keptChars) : text);
        long[] ids = encoding.getIds();
        boolean truncated = cut || encoding.exceedMaxLength() || ids.length > maxLength;
        if (ids.length > maxLength) {
            long last = ids[ids.length - 1];
            ids = java.util.Arrays.copyOf(ids, maxLength);
            ids[maxLength - 1] = last;
        }
        return new Tokens(ids, truncated);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

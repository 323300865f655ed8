package org.recsys.core.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A text encoder loaded from a Hugging Face model directory as users download it: {@code config.json},
 * {@code tokenizer.json} and {@code model.safetensors}. Turns texts into one vector each.
 */
public final class TextEncoder implements AutoCloseable {

    /** Vectors in input order, each text's token count, and how many texts were cut to the sequence limit. */
    public record Result(float[][] vectors, int[] tokens, int truncated) {}

    private final TextTokenizer tokenizer;
    private final TransformerEncoder transformer;

    private TextEncoder(TextTokenizer tokenizer, TransformerEncoder transformer) {
        this.tokenizer = tokenizer;
        this.transformer = transformer;
    }

    public static TextEncoder load(Path dir) throws IOException {
        for (String file : new String[] { "config.json", "tokenizer.json", "model.safetensors" }) {
            if (Files.isRegularFile(dir.resolve(file)) == false) {
                throw new IllegalArgumentException("model directory [" + dir + "] has no [" + file + "]");
            }
        }
        TransformerEncoder transformer = TransformerEncoder.load(dir);
        try {
            return new TextEncoder(TextTokenizer.load(dir.resolve("tokenizer.json"), transformer.config().maxSequenceLength()), transformer);
        } catch (IOException | RuntimeException e) {
            transformer.close();
            throw e;
        }
    }

    public int dimension() {
        return transformer.dimension();
    }

    public int maxSequenceLength() {
        return transformer.config().maxSequenceLength();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public TransformerEncoder transformer() {
        return transformer;
    }

    /** Encodes the texts as one batch, padded to its longest sequence. */
    public Result encode(List<String> texts, Pooling pooling, boolean normalize, int maxSequenceLength) {
        long[][] ids = new long[texts.size()][];
        int[] tokens = new int[texts.size()];
        int truncated = 0;
        for (int i = 0; i < ids.length; i++) {
            TextTokenizer.Tokens t = tokenizer.encode(texts.get(i), maxSequenceLength);
            ids[i] = t.ids();
            tokens[i] = t.ids().length;
            truncated += t.truncated() ? 1 : 0;
        }
        return new Result(transformer.embed(ids, pooling, normalize), tokens, truncated);
    }

    @Override
    public void close() {
        tokenizer.close();
        transformer.close();
    }
}

package org.recsys.core.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A text encoder loaded from a model directory: {@code config.json}, {@code tokenizer.json} and one model file, the
 * Hugging Face {@code model.safetensors} as users download it or an export (see {@link ModelFormat}). Turns texts
 * into one vector each.
 */
public final class TextEncoder implements AutoCloseable {

    /** Vectors in input order, each text's token count, and how many texts were cut to the sequence limit. */
    public record Result(float[][] vectors, int[] tokens, int truncated) {}

    private final TextTokenizer tokenizer;
    private final Transformer transformer;

    private TextEncoder(TextTokenizer tokenizer, Transformer transformer) {
        this.tokenizer = tokenizer;
        this.transformer = transformer;
    }

    /** Loads an encoder whose passes run on the engines' default threads (every core). */
    public static TextEncoder load(Path dir) throws IOException {
        return load(dir, 0);
    }

    /**
     * Loads an encoder whose passes each run on {@code threads} intra-op threads (0: the engines' defaults); several
     * threads may encode at once (see {@link Transformer#load(Path, int)}).
     */
    public static TextEncoder load(Path dir, int threads) throws IOException {
        requireFiles(dir);
        Transformer transformer = Transformer.load(dir, threads);
        try {
            return new TextEncoder(
                TextTokenizer.load(dir.resolve("tokenizer.json"), transformer.config().maxSequenceLength()),
                transformer
            );
        } catch (IOException | RuntimeException e) {
            transformer.close();
            throw e;
        }
    }

    /**
     * Checks a model directory: the files are there, the config is supported, the tokenizer loads and the model can
     * encode with {@code pooling} (see {@link Transformer#check}). Returns the config.
     */
    public static TransformerConfig validate(Path dir, Pooling pooling) throws IOException {
        requireFiles(dir);
        TransformerConfig config = TransformerConfig.read(dir.resolve("config.json"));
        TextTokenizer.load(dir.resolve("tokenizer.json"), config.maxSequenceLength()).close();
        Transformer.check(dir, config, pooling);
        return config;
    }

    /** Whether the directory's vectors are a projection head's factors (see {@code scripts/recsys finetune}). */
    public static boolean hasProjectionHead(Path dir) {
        return Files.isRegularFile(dir.resolve(ProjectionHead.FILE_NAME));
    }

    private static void requireFiles(Path dir) {
        for (String file : new String[]{ "config.json", "tokenizer.json" }) {
            if (Files.isRegularFile(dir.resolve(file)) == false) {
                throw new IllegalArgumentException("model directory [" + dir.getFileName() + "] has no [" + file + "]");
            }
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

    public Transformer transformer() {
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

    /**
     * Encodes texts of any number and length: sorted by token count and cut into forward passes of at most
     * {@code batchSize}, so that each pass pads little. Results come back in input order.
     */
    public Result encodeByLength(List<String> texts, Pooling pooling, boolean normalize, int maxSequenceLength, int batchSize) {
        int n = texts.size();
        long[][] ids = new long[n][];
        int[] tokens = new int[n];
        int truncated = 0;
        for (int i = 0; i < n; i++) {
            TextTokenizer.Tokens t = tokenizer.encode(texts.get(i), maxSequenceLength);
            ids[i] = t.ids();
            tokens[i] = t.ids().length;
            truncated += t.truncated() ? 1 : 0;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> tokens[i]));
        float[][] vectors = new float[n][];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            long[][] batch = new long[to - from][];
            for (int j = from; j < to; j++) {
                batch[j - from] = ids[order[j]];
            }
            float[][] out = transformer.embed(batch, pooling, normalize);
            for (int j = from; j < to; j++) {
                vectors[order[j]] = out[j - from];
            }
        }
        return new Result(vectors, tokens, truncated);
    }

    @Override
    public void close() {
        tokenizer.close();
        transformer.close();
    }
}

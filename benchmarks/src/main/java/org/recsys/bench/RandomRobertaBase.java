package org.recsys.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * I1's RoBERTa-base-shaped encoder: {@code RandomRobertaBase OUT_DIR TOKENIZER_JSON} writes a Hugging Face snapshot
 * with roberta-base's shapes (12 layers, hidden 768, 12 heads, intermediate 3072, 514 positions, vocabulary 50,265;
 * 124.6M parameters, 499 MB of float32) and random weights (seed 42), for speed only. The tokenizer is copied from
 * TOKENIZER_JSON (I1 uses MiniLM's WordPiece, whose ids all fall inside the vocabulary), so that token counts match
 * the MiniLM figures and the comparison isolates the model's size.
 */
public final class RandomRobertaBase {

    static final int VOCAB = 50_265, HIDDEN = 768, LAYERS = 12, HEADS = 12, INTERMEDIATE = 3072, POSITIONS = 514;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.copy(Path.of(args[1]), dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT, """
            {"model_type": "roberta", "architectures": ["RobertaModel"], "vocab_size": %d, "hidden_size": %d,
             "num_hidden_layers": %d, "num_attention_heads": %d, "intermediate_size": %d,
             "max_position_embeddings": %d, "type_vocab_size": 1, "layer_norm_eps": 1e-05, "pad_token_id": 1,
             "hidden_act": "gelu"}
            """, VOCAB, HIDDEN, LAYERS, HEADS, INTERMEDIATE, POSITIONS));
        writeWeights(dir.resolve("model.safetensors"), shapes());
    }

    /** Tensor names and shapes as {@code RobertaModel} saves them (the pooler is left out: no pooling reads it). */
    static Map<String, long[]> shapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("roberta.embeddings.word_embeddings.weight", new long[]{ VOCAB, HIDDEN });
        shapes.put("roberta.embeddings.position_embeddings.weight", new long[]{ POSITIONS, HIDDEN });
        shapes.put("roberta.embeddings.token_type_embeddings.weight", new long[]{ 1, HIDDEN });
        shapes.put("roberta.embeddings.LayerNorm.weight", new long[]{ HIDDEN });
        shapes.put("roberta.embeddings.LayerNorm.bias", new long[]{ HIDDEN });
        for (int l = 0; l < LAYERS; l++) {
            String p = "roberta.encoder.layer." + l + ".";
            for (String m : new String[]{
                "attention.self.query",
                "attention.self.key",
                "attention.self.value",
                "attention.output.dense" }) {
                shapes.put(p + m + ".weight", new long[]{ HIDDEN, HIDDEN });
                shapes.put(p + m + ".bias", new long[]{ HIDDEN });
            }
            shapes.put(p + "attention.output.LayerNorm.weight", new long[]{ HIDDEN });
            shapes.put(p + "attention.output.LayerNorm.bias", new long[]{ HIDDEN });
            shapes.put(p + "intermediate.dense.weight", new long[]{ INTERMEDIATE, HIDDEN });
            shapes.put(p + "intermediate.dense.bias", new long[]{ INTERMEDIATE });
            shapes.put(p + "output.dense.weight", new long[]{ HIDDEN, INTERMEDIATE });
            shapes.put(p + "output.dense.bias", new long[]{ HIDDEN });
            shapes.put(p + "output.LayerNorm.weight", new long[]{ HIDDEN });
            shapes.put(p + "output.LayerNorm.bias", new long[]{ HIDDEN });
        }
        return shapes;
    }

    /** Streams the file tensor by tensor: LayerNorm scales 1, biases 0, every other weight N(0, 0.02) as BERT initialises. */
    private static void writeWeights(Path file, Map<String, long[]> shapes) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long bytes = 4L * count(e.getValue());
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : e.getValue()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray range = new JsonArray();
            range.add(offset);
            range.add(offset + bytes);
            entry.add("data_offsets", range);
            header.add(e.getKey(), entry);
            offset += bytes;
        }
        StringBuilder text = new StringBuilder(header.toString());
        while (text.length() % 8 != 0) {
            text.append(' '); // the data starts 8-byte aligned
        }
        byte[] headerBytes = text.toString().getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(42);
        try (FileChannel out =
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerBytes.length));
            writeFully(out, ByteBuffer.wrap(headerBytes));
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                boolean layerNorm = e.getKey().contains("LayerNorm");
                boolean bias = e.getKey().endsWith(".bias");
                for (long i = count(e.getValue()); i > 0; i--) {
                    chunk.putFloat(bias ? 0f : layerNorm ? 1f : (float) (gaussian(random) * 0.02));
                    if (chunk.hasRemaining() == false) {
                        writeFully(out, chunk.flip());
                        chunk.clear();
                    }
                }
            }
            writeFully(out, chunk.flip());
        }
    }

    /** Box-Muller, one value per call: SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}

package org.recsys.bench;

import ai.djl.pytorch.jni.JniUtils;

import org.recsys.core.encoder.Pooling;
import org.recsys.core.encoder.TextEncoder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * I1's ceiling: {@code EncoderCeiling MODEL_DIR ITEMS.jsonl RUNS} encodes the same texts the pipeline builds
 * (title, genres joined with ", ", plot; one per line) with one plain length-sorted batched forward of the same
 * model in this JVM, batches of 32 and max_seq_length 128 as the node uses, RUNS times after a warm-up pass;
 * prints the median and PyTorch's thread counts.
 */
public final class EncoderCeiling {

    public static void main(String[] args) throws Exception {
        List<String> texts = texts(Path.of(args[1]));
        int runs = Integer.parseInt(args[2]);
        try (TextEncoder encoder = TextEncoder.load(Path.of(args[0]))) {
            encoder.encodeByLength(texts.subList(0, Math.min(64, texts.size())), Pooling.MEAN, true, 128, 32);
            double[] docsPerSecond = new double[runs];
            TextEncoder.Result r = null;
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                r = encoder.encodeByLength(texts, Pooling.MEAN, true, 128, 32);
                docsPerSecond[run] = texts.size() / ((System.nanoTime() - start) / 1e9);
            }
            System.out.println(Measurements.json(
                "benchmark", "I1-ceiling",
                "model", Path.of(args[0]).getFileName().toString(),
                "documents", texts.size(),
                "docs_per_s", Measurements.median(docsPerSecond),
                "runs", docsPerSecond,
                "mean_tokens", Arrays.stream(r.tokens()).average().orElse(0),
                "truncated", r.truncated(),
                "torch_threads", JniUtils.getNumThreads(),
                "torch_interop_threads", JniUtils.getNumInteropThreads(),
                "load_average", Measurements.loadAverage()
            ));
        }
    }

    /** The texts the I1 pipeline encodes: title, genres joined with ", ", plot, one per line; empty parts left out. */
    static List<String> texts(Path itemsJsonl) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(itemsJsonl)) {
            JsonObject item = JsonParser.parseString(line).getAsJsonObject();
            List<String> parts = new ArrayList<>();
            parts.add(item.get("title").getAsString());
            List<String> genres = new ArrayList<>();
            item.getAsJsonArray("genres").forEach(g -> genres.add(g.getAsString()));
            if (genres.isEmpty() == false) {
                parts.add(String.join(", ", genres));
            }
            if (item.get("plot").getAsString().isBlank() == false) {
                parts.add(item.get("plot").getAsString());
            }
            texts.add(String.join("\n", parts));
        }
        return texts;
    }
}

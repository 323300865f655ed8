package org.recsys.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.recsys.core.encoder.Pooling;
import org.recsys.core.encoder.TextEncoder;
import org.recsys.core.util.SuppressForbidden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * I1's ceiling: {@code EncoderCeiling MODEL_DIR ITEMS.jsonl [RUNS [--batch B] [WxT ...]]} encodes the same texts the pipeline
 * builds (title, genres joined with ", ", plot; one per line) with plain batched forwards of the same model in this
 * JVM: the texts sorted by token count and cut into passes of 32 (max_seq_length 128, mean pooling, normalised), as
 * the node cuts what it drains. Each configuration {@code WxT} runs the passes on W worker threads, each taking the
 * next pass when free, each pass on T intra-op threads (PyTorch's per thread, ONNX Runtime's per session); the
 * default is one worker on every core, the plain batched forward. After a warm-up of every configuration, RUNS runs
 * (default 3) of each, alternated, so that the machine's load touches them alike; prints one line per
 * configuration with the median, and the median CPU time of the process per document (which the machine's other
 * load changes far less than the wall clock: on idle cores, documents per second approach cores / CPU time).
 * {@code --batch 1} with one worker runs each text alone, the forward passes of one-document requests.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class EncoderCeiling {

    private record Config(int workers, int threads) {
        static Config parse(String s) {
            String[] wt = s.split("x");
            return new Config(Integer.parseInt(wt[0]), Integer.parseInt(wt[1]));
        }

        String label() {
            return workers + "x" + threads;
        }
    }

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        List<String> texts = texts(Path.of(args[1]));
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int batch = 32;
        List<Config> configs = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--batch")) {
                batch = Integer.parseInt(args[++i]);
            } else {
                configs.add(Config.parse(args[i]));
            }
        }
        if (configs.isEmpty()) {
            configs.add(new Config(1, Runtime.getRuntime().availableProcessors()));
        }
        // One encoder per thread count: ONNX Runtime fixes a session's threads when it loads.
        Map<Integer, TextEncoder> encoders = new LinkedHashMap<>();
        Map<Config, ExecutorService> pools = new LinkedHashMap<>();
        try {
            for (Config c : configs) {
                if (encoders.containsKey(c.threads()) == false) {
                    encoders.put(c.threads(), TextEncoder.load(modelDir, c.threads()));
                }
                pools.put(c, Executors.newFixedThreadPool(c.workers()));
            }
            List<List<String>> passes = passes(encoders.values().iterator().next(), texts, batch);
            List<List<String>> warmUp = passes(encoders.values().iterator().next(), texts.subList(0, Math.min(64, texts.size())), batch);
            for (Config c : configs) {
                run(encoders.get(c.threads()), pools.get(c), c.workers(), warmUp);
            }
            Map<Config, double[]> docsPerSecond = new LinkedHashMap<>();
            Map<Config, double[]> cpuMillisPerDoc = new LinkedHashMap<>();
            Map<Config, int[]> tokens = new LinkedHashMap<>();
            for (int r = 0; r < runs; r++) {
                for (Config c : configs) {
                    long cpu = Measurements.processCpuNanos();
                    long start = System.nanoTime();
                    int[] t = run(encoders.get(c.threads()), pools.get(c), c.workers(), passes);
                    docsPerSecond.computeIfAbsent(c, k -> new double[runs])[r] = texts.size() / ((System.nanoTime() - start) / 1e9);
                    cpuMillisPerDoc.computeIfAbsent(c, k -> new double[runs])[r] =
                        (Measurements.processCpuNanos() - cpu) / 1e6 / texts.size();
                    tokens.put(c, t);
                }
            }
            for (Config c : configs) {
                int[] t = tokens.get(c);
                System.out.println(
                    Measurements.json(
                        "benchmark",
                        "I1-ceiling",
                        "model",
                        modelDir.getFileName().toString(),
                        "documents",
                        texts.size(),
                        "config",
                        c.label(),
                        "workers",
                        c.workers(),
                        "intra_op_threads",
                        c.threads(),
                        "batch_size",
                        batch,
                        "docs_per_s",
                        Measurements.median(docsPerSecond.get(c)),
                        "runs",
                        docsPerSecond.get(c),
                        "cpu_ms_per_doc",
                        Measurements.median(cpuMillisPerDoc.get(c)),
                        "cpu_ms_per_doc_runs",
                        cpuMillisPerDoc.get(c),
                        "mean_tokens",
                        (double) t[0] / texts.size(),
                        "truncated",
                        t[1],
                        "torch_threads_of_workers",
                        torchThreads(pools.get(c), c.workers()),
                        "load_average",
                        Measurements.loadAverage(),
                        "omp_wait_policy",
                        String.valueOf(System.getenv("OMP_WAIT_POLICY"))
                    )
                );
            }
        } finally {
            pools.values().forEach(ExecutorService::shutdown);
            encoders.values().forEach(TextEncoder::close);
        }
    }

    /** The texts sorted by token count, cut into passes of {@code batch}. */
    private static List<List<String>> passes(TextEncoder encoder, List<String> texts, int batch) {
        List<String> sorted = new ArrayList<>(texts);
        sorted.sort(Comparator.comparingInt(text -> encoder.tokenizer().encode(text, 128).ids().length));
        List<List<String>> passes = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += batch) {
            passes.add(sorted.subList(from, Math.min(sorted.size(), from + batch)));
        }
        return passes;
    }

    /** Runs every pass on the pool's workers, each taking the next when free; returns the tokens and truncated texts. */
    private static int[] run(TextEncoder encoder, ExecutorService pool, int workerCount, List<List<String>> passes) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        AtomicInteger truncated = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < workerCount; w++) {
            workers.add(pool.submit(() -> {
                for (int p = next.getAndIncrement(); p < passes.size(); p = next.getAndIncrement()) {
                    TextEncoder.Result r = encoder.encode(passes.get(p), Pooling.MEAN, true, 128);
                    for (int t : r.tokens()) {
                        tokens.addAndGet(t);
                    }
                    truncated.addAndGet(r.truncated());
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        return new int[]{ (int) tokens.get(), truncated.get() };
    }

    /** PyTorch's intra-op threads as each worker thread sees them (they are per thread). */
    private static String torchThreads(ExecutorService pool, int workers) throws Exception {
        TreeSet<Integer> seen = new TreeSet<>();
        List<Future<Integer>> answers = new ArrayList<>();
        for (int w = 0; w < workers * 4; w++) {
            answers.add(pool.submit(JniUtils::getNumThreads));
        }
        for (Future<Integer> a : answers) {
            seen.add(a.get());
        }
        return seen.toString();
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

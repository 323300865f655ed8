package org.recsys.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.recsys.core.util.SuppressForbidden;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything at once on one node: {@code LoadTest URL PID SHARED_DIR SECONDS CLIENTS SAMPLES_FILE COMMIT}.
 *
 * <p>Built first (not timed): the MovieLens-100k films with their P1 training interactions and a served WALS model
 * {@code load-serve} (rank 32) for {@code _recommend}; the Amazon Beauty P3 training interactions (273,510 of
 * 40,226 users over 54,542 items) for the model trained during the run; the encoder {@code minilm} and the pipeline
 * {@code load-text} ({@code text_vector} over title and plot).
 *
 * <p>Then for {@code SECONDS}: one ingest client sends {@code _bulk} requests of {@link #BULK_DOCS} films (new ids
 * each time) through {@code load-text}; {@code CLIENTS} clients ask {@code _recommend} for random P1 users; one
 * {@code _train} of {@code load-train} (WALS rank 64, 10 iterations over Beauty) runs at a time, started again when
 * it ends; every {@link #SAMPLE_SECONDS} s the node's heap, resident memory and recsys stats are sampled. Each
 * document and request ends 2xx, 429 (backpressure, expected) or as an error; any error fails the run. One JSON
 * line of figures goes to stdout, the samples to {@code SAMPLES_FILE}.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class LoadTest {

    static final int BULK_DOCS = 50;
    static final int K = 10;
    static final int SAMPLE_SECONDS = 5;
    static final String TRAIN = """
        {"interactions": {"index": "load-beauty", "weight_field": "rating"}, "items": {"index": "load-beauty-items"},
         "users": {"index": "load-beauty-users"}, "params": {"rank": 64, "iterations": 10, "threads": 2}}""";

    /** Outcomes of one kind of request: latencies of the 2xx ones, counts of 429s and of errors. */
    static final class Outcomes {
        final List<Double> millis = new ArrayList<>();
        long ok;
        long rejected;
        long errors;
        String firstError;

        synchronized void add(double ms, int status, String body) {
            if (status / 100 == 2) {
                millis.add(ms);
                ok++;
            } else if (status == 429) {
                rejected++;
            } else {
                errors++;
                if (firstError == null) {
                    firstError = status + " " + body.substring(0, Math.min(300, body.length()));
                }
            }
        }

        synchronized double percentile(double p) {
            if (millis.isEmpty()) {
                return -1;
            }
            double[] v = millis.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(v);
            return v[Math.min(v.length - 1, (int) Math.ceil(p * v.length) - 1)];
        }
    }

    public static void main(String[] args) throws Exception {
        NodeClient node = new NodeClient(args[0]);
        long pid = Long.parseLong(args[1]);
        Path shared = Path.of(args[2]);
        long seconds = Long.parseLong(args[3]);
        int clients = Integer.parseInt(args[4]);
        Path samplesFile = Path.of(args[5]);
        String commit = args[6];

        List<String> films = Files.readAllLines(shared.resolve("datasets/ml-100k/items_text.jsonl"));
        setUp(node, shared, films);
        double loadBefore = Measurements.loadAverage();

        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Outcomes bulkRequests = new Outcomes();
        Outcomes bulkDocs = new Outcomes();
        Outcomes recommend = new Outcomes();
        List<Double> trainSeconds = new ArrayList<>();
        AtomicLong heapMax = new AtomicLong();
        AtomicLong rssMax = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients + 3);
        List<Future<?>> work = new ArrayList<>();
        work.add(pool.submit(() -> ingest(node, films, end, bulkRequests, bulkDocs)));
        for (int c = 0; c < clients; c++) {
            long seed = c;
            work.add(pool.submit(() -> recommend(node, seed, end, recommend)));
        }
        work.add(pool.submit(() -> train(node, end, trainSeconds)));
        work.add(pool.submit(() -> sample(node, pid, end, samplesFile, heapMax, rssMax)));
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();

        JsonObject stats = node(JsonParser.parseString(node.json("GET", "/_recsys/_stats", null)));
        JsonObject encoder = stats.getAsJsonObject("encoders").getAsJsonObject("minilm");
        System.out.println(
            Measurements.json(
                "run",
                "load",
                "commit",
                commit,
                "seconds",
                seconds,
                "recommend_clients",
                clients,
                "bulk_docs_per_request",
                BULK_DOCS,
                "ingest_docs_per_s",
                bulkDocs.ok / (double) seconds,
                "bulk_p50_ms",
                bulkRequests.percentile(0.5),
                "bulk_p99_ms",
                bulkRequests.percentile(0.99),
                "ingest_docs_ok",
                bulkDocs.ok,
                "ingest_docs_429",
                bulkDocs.rejected,
                "ingest_errors",
                bulkDocs.errors + bulkRequests.errors,
                "recommend_per_s",
                recommend.ok / (double) seconds,
                "recommend_p50_ms",
                recommend.percentile(0.5),
                "recommend_p99_ms",
                recommend.percentile(0.99),
                "recommend_ok",
                recommend.ok,
                "recommend_429",
                recommend.rejected,
                "recommend_errors",
                recommend.errors,
                "trainings_completed",
                trainSeconds.size(),
                "train_seconds",
                trainSeconds.stream().mapToDouble(Double::doubleValue).toArray(),
                "encoder_rejected",
                encoder.get("rejected").getAsLong(),
                "heap_max_mib",
                heapMax.get() >> 20,
                "rss_max_mib",
                rssMax.get() >> 20,
                "load_average_before",
                loadBefore,
                "load_average",
                Measurements.loadAverage(),
                "first_error",
                String.valueOf(bulkDocs.firstError != null ? bulkDocs.firstError : recommend.firstError).replace('"', '\'')
            )
        );
        if (bulkDocs.errors + bulkRequests.errors + recommend.errors > 0) {
            System.err.println("errors other than 429: ingest " + bulkDocs.firstError + " / recommend " + recommend.firstError);
            System.exit(1);
        }
    }

    private static void setUp(NodeClient node, Path shared, List<String> films) throws Exception {
        for (String index : List
            .of("load-movies", "load-interactions", "load-users", "load-ingest", "load-beauty", "load-beauty-items", "load-beauty-users")) {
            node.delete("/" + index);
        }
        node.delete("/_recsys/models/load-serve");
        node.delete("/_recsys/models/load-train");
        node.json("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        node.json(
            "PUT",
            "/_ingest/pipeline/load-text",
            """
                {"processors": [{"text_vector": {"fields": ["title", "plot"], "target_field": "text_vector", "encoder": "minilm", "ignore_missing": true}}]}"""
        );
        String interactions =
            "{\"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}, \"rating\": {\"type\": \"float\"}}}}";
        node.json("PUT", "/load-interactions", interactions);
        node.json("PUT", "/load-beauty", interactions);
        node.json("PUT", "/load-movies", "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}}}}");
        StringBuilder bulk = new StringBuilder();
        for (String film : films) {
            JsonObject f = JsonParser.parseString(film).getAsJsonObject();
            bulk.append("{\"index\": {\"_id\": \"")
                .append(f.get("item_id").getAsString())
                .append("\"}}\n{\"title\": ")
                .append(f.get("title"))
                .append("}\n");
        }
        node.send("POST", "/load-movies/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
        loadInteractions(node, "load-interactions", shared.resolve("datasets/ml-100k/splits/p1_train.tsv"));
        loadInteractions(node, "load-beauty", shared.resolve("datasets/beauty/p3_train.tsv"));
        StringBuilder items = new StringBuilder();
        for (int i = 1; i <= 54_542; i++) {
            items.append("{\"index\": {\"_id\": \"").append(i).append("\"}}\n{}\n");
            if (i % 10_000 == 0 || i == 54_542) {
                node.send("POST", "/load-beauty-items/_bulk", items.toString(), "application/x-ndjson");
                items.setLength(0);
            }
        }
        node.json("POST", "/load-beauty-items/_refresh", null);
        node.json("POST", "/_recsys/models/load-serve/_train", """
            {"interactions": {"index": "load-interactions", "weight_field": "rating"}, "items": {"index": "load-movies"},
             "users": {"index": "load-users"}, "params": {"rank": 32, "iterations": 10}}""");
        node.json("POST", "/load-movies,load-users/_refresh", null);
    }

    private static void loadInteractions(NodeClient node, String index, Path tsv) throws Exception {
        StringBuilder bulk = new StringBuilder();
        int n = 0;
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            bulk.append("{\"index\": {}}\n{\"user_id\": \"")
                .append(f[0])
                .append("\", \"item_id\": \"")
                .append(f[1])
                .append("\", \"rating\": ")
                .append(f[2])
                .append("}\n");
            if (++n % 20_000 == 0) {
                node.send("POST", "/" + index + "/_bulk", bulk.toString(), "application/x-ndjson");
                bulk.setLength(0);
            }
        }
        if (bulk.length() > 0) {
            node.send("POST", "/" + index + "/_bulk", bulk.toString(), "application/x-ndjson");
        }
        node.json("POST", "/" + index + "/_refresh", null);
    }

    private static Void ingest(NodeClient node, List<String> films, long end, Outcomes requests, Outcomes docs) throws Exception {
        long next = 0;
        while (System.nanoTime() < end) {
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < BULK_DOCS; i++, next++) {
                bulk.append("{\"index\": {\"_id\": \"d")
                    .append(next)
                    .append("\"}}\n")
                    .append(films.get((int) (next % films.size())))
                    .append('\n');
            }
            long start = System.nanoTime();
            HttpResponse<String> r =
                node.exchange("POST", "/load-ingest/_bulk?pipeline=load-text", bulk.toString(), "application/x-ndjson");
            requests.add((System.nanoTime() - start) / 1e6, r.statusCode(), r.body());
            if (r.statusCode() / 100 != 2) {
                continue;
            }
            for (JsonElement item : JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("items")) {
                JsonObject result = item.getAsJsonObject().getAsJsonObject("index");
                docs.add(0, result.get("status").getAsInt(), result.toString());
            }
        }
        return null;
    }

    private static Void recommend(NodeClient node, long seed, long end, Outcomes outcomes) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        while (System.nanoTime() < end) {
            String body = "{\"user\": {\"id\": \"" + (1 + random.nextInt(943)) + "\"}, \"k\": " + K + "}";
            long start = System.nanoTime();
            HttpResponse<String> r = node.exchange("POST", "/_recsys/models/load-serve/_recommend", body, "application/json");
            outcomes.add((System.nanoTime() - start) / 1e6, r.statusCode(), r.body());
        }
        return null;
    }

    /** One training at a time for the whole run; one that is still running at the end is cancelled. */
    private static Void train(NodeClient node, long end, List<Double> seconds) throws Exception {
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            String task = JsonParser.parseString(node.json("POST", "/_recsys/models/load-train/_train?wait_for_completion=false", TRAIN))
                .getAsJsonObject()
                .get("task")
                .getAsString();
            while (true) {
                HttpResponse<String> r = node.exchange("GET", "/_tasks/" + task, null, null);
                // A finished task whose result was not stored is no longer known.
                JsonObject t = r.statusCode() == 404 ? null : JsonParser.parseString(r.body()).getAsJsonObject();
                if (t == null || t.get("completed").getAsBoolean()) {
                    if (t != null && t.has("error")) {
                        throw new IllegalStateException("training failed: " + t.get("error"));
                    }
                    seconds.add((System.nanoTime() - start) / 1e9);
                    break;
                }
                if (System.nanoTime() >= end) {
                    node.json("POST", "/_tasks/" + task + "/_cancel", null);
                    return null;
                }
                Thread.sleep(1000);
            }
        }
        return null;
    }

    private static Void sample(NodeClient node, long pid, long end, Path file, AtomicLong heapMax, AtomicLong rssMax) throws Exception {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                JsonObject jvm = node(JsonParser.parseString(node.json("GET", "/_nodes/_local/stats/jvm", null))).getAsJsonObject("jvm");
                long heap = jvm.getAsJsonObject("mem").get("heap_used_in_bytes").getAsLong();
                long rss = rssBytes(pid);
                JsonObject recsys = node(JsonParser.parseString(node.json("GET", "/_recsys/_stats/_local", null)));
                JsonObject encoder = recsys.getAsJsonObject("encoders").getAsJsonObject("minilm");
                heapMax.accumulateAndGet(heap, Math::max);
                rssMax.accumulateAndGet(rss, Math::max);
                out.println(
                    String.format(
                        Locale.ROOT,
                        "{\"t\": %.1f, \"heap_mib\": %d, \"rss_mib\": %d, \"queued\": %d, \"rejected\": %d, \"documents\": %d, \"trainings_running\": %d}",
                        (System.nanoTime() - t0) / 1e9,
                        heap >> 20,
                        rss >> 20,
                        encoder == null ? 0 : encoder.get("queued").getAsInt(),
                        encoder == null ? 0 : encoder.get("rejected").getAsLong(),
                        encoder == null ? 0 : encoder.get("documents").getAsLong(),
                        recsys.getAsJsonObject("trainings").get("running").getAsLong()
                    )
                );
                out.flush();
                Thread.sleep(SAMPLE_SECONDS * 1000L);
            }
        }
        return null;
    }

    /** The only node of a {@code _nodes}-style answer. */
    private static JsonObject node(JsonElement answer) {
        return answer.getAsJsonObject().getAsJsonObject("nodes").entrySet().iterator().next().getValue().getAsJsonObject();
    }

    private static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}

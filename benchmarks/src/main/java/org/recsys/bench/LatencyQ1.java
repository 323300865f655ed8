package org.recsys.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Protocol Q1 against a running node: {@code LatencyQ1 URL N REQUESTS MAX_SECONDS CLIENTS...}.
 *
 * <p>Index {@code q1-N} holds N items with a synthetic factor (rank 64, mapped as training maps factor slots) and a
 * 384-dimensional text vector, drawn around 256 shared topics so that neighbourhoods look like a real catalogue's.
 * It is built once (bulk, then force-merged to one segment) and reused while its {@code _meta} says it is complete.
 * Then, for each client count, REQUESTS requests (or as many as MAX_SECONDS allow) each for a different synthetic
 * user, and one JSON line with p50 and p99 of the client-side latency and of the node's {@code took}.
 *
 * <p>Paths: {@code knn} is the plain {@code knn} search on the factor field with the user's vector in the request,
 * the floor. TODO(fused top-k): the full recommendation (user vector resolved by the node, candidates, fused
 * re-ranking to the top 10) is measured here once {@code _recommend} and the {@code recsys} rescorer are in main.
 */
public final class LatencyQ1 {

    static final int RANK = 64;
    static final int TEXT_DIMS = 384;
    static final int TOPICS = 256;
    static final int K = 10;
    static final int NUM_CANDIDATES = 100;
    static final int BULK_DOCS = 1000;
    static final int WARMUP_REQUESTS = 300;
    static final long SEED = 7;

    public static void main(String[] args) throws Exception {
        NodeClient node = new NodeClient(args[0]);
        int n = Integer.parseInt(args[1]);
        int requests = Integer.parseInt(args[2]);
        long maxNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        Catalogue catalogue = new Catalogue(SEED);
        String index = "q1-" + n;

        double loadSeconds = ensureIndex(node, index, n, catalogue);
        run(node, index, catalogue, 1, WARMUP_REQUESTS, maxNanos, 1L << 40);
        for (int i = 4; i < args.length; i++) {
            int clients = Integer.parseInt(args[i]);
            double loadBefore = Measurements.loadAverage();
            Latencies l = run(node, index, catalogue, clients, requests, maxNanos, clients);
            System.out.println(Measurements.json(
                "benchmark", "Q1",
                "path", "knn",
                "items", n,
                "clients", clients,
                "requests", l.count,
                "k", K,
                "num_candidates", NUM_CANDIDATES,
                "p50_ms", l.percentile(l.wallMs, 0.50),
                "p99_ms", l.percentile(l.wallMs, 0.99),
                "took_p50_ms", l.percentile(l.tookMs, 0.50),
                "took_p99_ms", l.percentile(l.tookMs, 0.99),
                "requests_per_s", l.count / l.seconds,
                "index_build_s", loadSeconds,
                "load_1m_before", loadBefore,
                "load_1m_after", Measurements.loadAverage()
            ));
        }
    }

    /** Builds the index unless a complete one is there; returns the seconds spent (0 when reused). */
    private static double ensureIndex(NodeClient node, String index, int n, Catalogue catalogue) throws Exception {
        String meta = "\"q1\":{\"items\":" + n + ",\"seed\":" + SEED + ",\"complete\":true}";
        try {
            if (node.json("GET", "/" + index + "/_mapping", null).contains(meta)) {
                return 0;
            }
        } catch (IllegalStateException missing) {
            // no index yet
        }
        long start = System.nanoTime();
        node.deleteIndex(index);
        node.json("PUT", "/" + index, """
            {"settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"},
             "mappings": {"properties": {
               "factor":      {"type": "dense_vector", "dims": %d, "index": true, "similarity": "max_inner_product"},
               "text_vector": {"type": "dense_vector", "dims": %d, "index": true, "similarity": "cosine",
                               "index_options": {"type": "flat"}}}}}""".formatted(RANK, TEXT_DIMS));
        float[] factor = new float[RANK];
        float[] text = new float[TEXT_DIMS];
        StringBuilder body = new StringBuilder(BULK_DOCS * 5000);
        for (int from = 0; from < n; from += BULK_DOCS) {
            body.setLength(0);
            for (int id = from; id < Math.min(n, from + BULK_DOCS); id++) {
                catalogue.item(id, factor, text);
                body.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n{\"factor\":");
                append(body, factor).append(",\"text_vector\":");
                append(body, text).append("}\n");
            }
            String response = node.send("POST", "/" + index + "/_bulk?filter_path=errors", body.toString(), "application/x-ndjson");
            if (response.contains("\"errors\":false") == false) {
                throw new IllegalStateException("bulk errors at item " + from + ": " + response);
            }
        }
        node.json("POST", "/" + index + "/_refresh", null);
        node.json("POST", "/" + index + "/_forcemerge?max_num_segments=1", null);
        node.json("PUT", "/" + index + "/_mapping", "{\"_meta\":{" + meta + "}}");
        return (System.nanoTime() - start) / 1e9;
    }

    private static Latencies run(NodeClient node, String index, Catalogue catalogue, int clients, int requests, long maxNanos,
                                 long userSeed) throws Exception {
        Latencies all = new Latencies(requests);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + maxNanos;
        long start = System.nanoTime();
        try {
            List<Future<Latencies>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int share = requests / clients + (c < requests % clients ? 1 : 0);
                SplittableRandom users = new SplittableRandom(userSeed * 1000 + c);
                futures.add(pool.submit(() -> client(node, index, catalogue, users, share, deadline)));
            }
            for (Future<Latencies> f : futures) {
                all.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        all.seconds = (System.nanoTime() - start) / 1e9;
        return all;
    }

    private static Latencies client(NodeClient node, String index, Catalogue catalogue, SplittableRandom users, int requests,
                                    long deadline) throws Exception {
        Latencies l = new Latencies(requests);
        float[] user = new float[RANK];
        StringBuilder body = new StringBuilder(2048);
        for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
            catalogue.user(users, user);
            body.setLength(0);
            body.append("{\"size\":").append(K).append(",\"_source\":false,\"knn\":{\"field\":\"factor\",\"k\":").append(K)
                .append(",\"num_candidates\":").append(NUM_CANDIDATES).append(",\"query_vector\":");
            append(body, user).append("}}");
            long t0 = System.nanoTime();
            String response = node.json("POST", "/" + index + "/_search?filter_path=took,hits.hits._id", body.toString());
            l.record((System.nanoTime() - t0) / 1e6, took(response));
        }
        return l;
    }

    private static int took(String response) {
        int at = response.indexOf("\"took\":") + 7;
        int end = at;
        while (end < response.length() && Character.isDigit(response.charAt(end))) {
            end++;
        }
        return Integer.parseInt(response, at, end, 10);
    }

    private static StringBuilder append(StringBuilder sb, float[] v) {
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']');
    }

    /** Synthetic items and users around shared topics; item i is the same vectors for every run and batch size. */
    static final class Catalogue {
        private final float[][] factorTopics = new float[TOPICS][RANK];
        private final float[][] textTopics = new float[TOPICS][TEXT_DIMS];
        private final long seed;

        Catalogue(long seed) {
            this.seed = seed;
            SplittableRandom r = new SplittableRandom(seed);
            for (int t = 0; t < TOPICS; t++) {
                gaussian(r, factorTopics[t], 0, 1 / Math.sqrt(RANK));
                gaussian(r, textTopics[t], 0, 1 / Math.sqrt(TEXT_DIMS));
            }
        }

        void item(int id, float[] factor, float[] text) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
            int topic = r.nextInt(TOPICS);
            System.arraycopy(factorTopics[topic], 0, factor, 0, RANK);
            gaussian(r, factor, 0.5, 1 / Math.sqrt(RANK));
            System.arraycopy(textTopics[topic], 0, text, 0, TEXT_DIMS);
            gaussian(r, text, 0.7, 1 / Math.sqrt(TEXT_DIMS));
        }

        void user(SplittableRandom r, float[] factor) {
            System.arraycopy(factorTopics[r.nextInt(TOPICS)], 0, factor, 0, RANK);
            gaussian(r, factor, 0.5, 1 / Math.sqrt(RANK));
        }

        /** Adds scale·N(0, sd²) to every element; with scale 0, sets them. */
        private static void gaussian(SplittableRandom r, float[] v, double scale, double sd) {
            for (int i = 0; i < v.length; i++) {
                double g = gaussian(r) * sd;
                v[i] = scale == 0 ? (float) g : v[i] + (float) (scale * g);
            }
        }

        private static double gaussian(SplittableRandom r) {
            // Box–Muller; SplittableRandom has no nextGaussian on JDK 17.
            double u = 1 - r.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
        }
    }

    /** Latencies of one run, in milliseconds: client wall clock and the node's {@code took}. */
    static final class Latencies {
        double[] wallMs;
        double[] tookMs;
        int count;
        double seconds;

        Latencies(int capacity) {
            wallMs = new double[Math.max(1, capacity)];
            tookMs = new double[Math.max(1, capacity)];
        }

        void record(double wall, double took) {
            wallMs[count] = wall;
            tookMs[count] = took;
            count++;
        }

        void add(Latencies other) {
            for (int i = 0; i < other.count; i++) {
                record(other.wallMs[i], other.tookMs[i]);
            }
        }

        double percentile(double[] values, double p) {
            double[] v = Arrays.copyOf(values, count);
            Arrays.sort(v);
            return v[Math.min(count - 1, (int) Math.ceil(p * count) - 1)];
        }
    }
}

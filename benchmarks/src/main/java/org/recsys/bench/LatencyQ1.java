package org.recsys.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.recsys.core.util.SuppressForbidden;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Protocol Q1 against a running node: {@code LatencyQ1 URL N REQUESTS MAX_SECONDS CLIENTS...}.
 *
 * <p>Index {@code q1-N} holds N items with a 384-dimensional text vector drawn around 256 topics; synthetic readers,
 * each with one topic, read every item once and 20 popular items of their topic ({@code q1-N-interactions}); a WALS
 * model {@code q1-N} of rank 64 trained on them writes the items' and users' factors as training always does
 * (float HNSW). All of it is built once, force-merged to one segment, and reused while the index's {@code _meta}
 * says it is complete.
 *
 * <p>Then, for each client count, the paths alternate in four blocks, each request for one of 500 sampled users:
 * {@code knn}, the plain {@code knn} search on the served factor field with the user's factor in the request (the
 * floor); {@code knn_docvalue_ids}, the same reading the hits' ids from the doc values the training keeps them in
 * ({@code <item_field>_id}) rather than from stored fields, as {@code _recommend} does: the like-for-like floor of the
 * {@code _recommend} paths; {@code knn_excluding_seen}, the same with the user's items excluded by a {@code must_not ids} filter, as
 * decisions.md first drew it; {@code recommend}, {@code _recommend} with the user's id (the node reads the factor
 * and the user's items at once, then runs a knn query for k + |seen| neighbours beside a {@code must_not} of those
 * items); {@code recommend_fused}, the full
 * recommendation in one call: {@code _recommend} with {@code fusion}, whose {@code knn} picks {@link #WINDOW}
 * candidates that the {@code recsys} rescorer re-ranks by collaborative and content score (the user's content
 * profile, written by the training beside the factor) to the top 10; and {@code fused}, the same two phases written
 * as a search ({@code knn} with the {@code recsys_user} vector and the seen-items filter, then the rescorer, each
 * resolving the user); and {@code recommend_hybrid}, {@code _recommend} with the learned fusion of a hybrid model
 * ({@link #ensureHybrid}): candidates from both spaces (the {@link #WINDOW} knn window and a second knn over the
 * {@link #RESERVED} best projected items), re-ranked by the network over collaborative, content, popularity and
 * projected. One JSON line per path with p50 and p99 of the client-side latency.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class LatencyQ1 {

    static final int RANK = 64;
    static final int TEXT_DIMS = 384;
    static final int TOPICS = 256;
    static final int ITEMS_PER_USER = 20;
    static final int K = 10;
    static final int NUM_CANDIDATES = 100;
    static final int WINDOW = 100;
    static final int RESERVED = 10;
    /** Every NEW_EVERY-th item is a new arrival for the hybrid model: none of its interactions is trained on. */
    static final int NEW_EVERY = 10;
    static final int SAMPLED_USERS = 500;
    static final int BULK_DOCS = 1000;
    static final int WARMUP_REQUESTS = 200;
    static final int BLOCKS = 4;
    static final long SEED = 7;

    enum Path {
        KNN, KNN_DOCVALUE_IDS, KNN_EXCLUDING_SEEN, RECOMMEND, RECOMMEND_FUSED, FUSED, RECOMMEND_HYBRID
    }

    public static void main(String[] args) throws Exception {
        NodeClient node = new NodeClient(args[0]);
        int n = Integer.parseInt(args[1]);
        int requests = Integer.parseInt(args[2]);
        long maxNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        String index = "q1-" + n;

        double buildSeconds = ensureModel(node, index, n);
        buildSeconds += ensureHybrid(node, index, n);
        JsonObject served = JsonParser.parseString(node.json("GET", "/_recsys/models/" + index + "?filter_path=models.served", null))
            .getAsJsonObject()
            .getAsJsonArray("models")
            .get(0)
            .getAsJsonObject()
            .getAsJsonObject("served");
        Requests bodies = new Requests(node, index, served.get("item_field").getAsString(), served.get("user_field").getAsString(), n);

        for (Path path : Path.values()) {
            run(sample -> bodies.send(path, sample), SAMPLED_USERS, 1, WARMUP_REQUESTS, maxNanos);
        }
        for (int i = 4; i < args.length; i++) {
            int clients = Integer.parseInt(args[i]);
            double loadBefore = Measurements.loadAverage();
            List<Request> paths = new ArrayList<>();
            for (Path path : Path.values()) {
                paths.add(sample -> bodies.send(path, sample));
            }
            Latencies[] byPath = alternate(paths, SAMPLED_USERS, clients, requests, maxNanos);
            double knnP50 = byPath[Path.KNN.ordinal()].percentile(0.50);
            for (Path path : Path.values()) {
                Latencies l = byPath[path.ordinal()];
                System.out.println(
                    Measurements.json(
                        "benchmark",
                        "Q1",
                        "path",
                        path.name().toLowerCase(java.util.Locale.ROOT),
                        "items",
                        n,
                        "clients",
                        clients,
                        "requests",
                        l.count,
                        "k",
                        K,
                        "num_candidates",
                        NUM_CANDIDATES,
                        "p50_ms",
                        l.percentile(0.50),
                        "p99_ms",
                        l.percentile(0.99),
                        "p50_vs_knn",
                        l.percentile(0.50) / knnP50,
                        "requests_per_s",
                        l.count / l.seconds,
                        "build_s",
                        buildSeconds,
                        "load_1m_before",
                        loadBefore,
                        "load_1m_after",
                        Measurements.loadAverage()
                    )
                );
            }
        }
    }

    static String user(int u) {
        return "u" + u;
    }

    /** One user per 20 items, the same number for every topic. */
    static int users(int n) {
        return TOPICS * Math.max(1, n / 20 / TOPICS);
    }

    /** Whether {@code index}'s {@code _meta.key} says a build with {@code meta} completed there. */
    private static boolean built(NodeClient node, String index, String key, JsonObject meta) throws Exception {
        try {
            JsonObject mappings = JsonParser.parseString(node.json("GET", "/" + index + "/_mapping", null)).getAsJsonObject();
            JsonElement built = mappings.getAsJsonObject(index).getAsJsonObject("mappings").getAsJsonObject("_meta");
            return built != null && meta.equals(built.getAsJsonObject().get(key));
        } catch (IllegalStateException missing) {
            return false; // no index yet
        }
    }

    /** Builds items, interactions and the model unless a complete set is there; returns the seconds spent (0 when reused). */
    private static double ensureModel(NodeClient node, String index, int n) throws Exception {
        JsonObject meta = new JsonObject();
        meta.addProperty("items", n);
        meta.addProperty("seed", SEED);
        meta.addProperty("model_rank", RANK);
        meta.addProperty("content_profiles", true);
        // Versions trained before the items' ids were kept in doc values answer from stored fields: rebuild.
        meta.addProperty("item_id_field", true);
        meta.addProperty("complete", true);
        if (built(node, index, "q1", meta)) {
            return 0;
        }
        long start = System.nanoTime();
        for (String name : List
            .of(index, index + "-interactions", index + "-users", index + "-hybrid-interactions", index + "-hybrid-users")) {
            node.delete("/" + name);
        }
        node.delete("/_recsys/models/" + index);
        node.delete("/_recsys/models/" + index + "-hybrid");
        String settings = "\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, \"refresh_interval\": \"-1\"}";
        node.json("PUT", "/" + index, "{" + settings + String.format(Locale.ROOT, """
            , "mappings": {"properties": {
               "topic":       {"type": "integer"},
               "text_vector": {"type": "dense_vector", "dims": %d, "index": true, "similarity": "cosine",
                               "index_options": {"type": "flat"}}}}}""", TEXT_DIMS));
        node.json(
            "PUT",
            "/" + index + "-interactions",
            "{"
                + settings
                + ", \"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}}}}"
        );

        Catalogue catalogue = new Catalogue(SEED, n);
        float[] text = new float[TEXT_DIMS];
        Bulk items = new Bulk(node, index);
        for (int id = 0; id < n; id++) {
            catalogue.text(id, text);
            StringBuilder doc =
                items.add(Integer.toString(id)).append("{\"topic\":").append(catalogue.topic(id)).append(",\"text_vector\":");
            append(doc, text).append("}\n");
        }
        items.flush();
        Bulk reads = new Bulk(node, index + "-interactions");
        catalogue.interactions(
            users(n),
            (u, item) -> reads.add(null).append("{\"user_id\":\"").append(user(u)).append("\",\"item_id\":\"").append(item).append("\"}\n")
        );
        reads.flush();
        for (String name : List.of(index, index + "-interactions")) {
            node.json("POST", "/" + name + "/_refresh", null);
        }
        node.json("POST", "/_recsys/models/" + index + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s-interactions"},
             "items": {"index": "%s", "vector_field": "factor"},
             "users": {"index": "%s-users", "vector_field": "factor"},
             "content": {"text_field": "text_vector"},
             "params": {"rank": %d, "iterations": 5, "threads": 2}}""", index, index, index, RANK));
        for (String name : List.of(index, index + "-users")) {
            node.json("POST", "/" + name + "/_refresh", null);
            node.json("POST", "/" + name + "/_forcemerge?max_num_segments=1", null);
        }
        node.json("PUT", "/" + index + "/_mapping", "{\"_meta\":{\"q1\":" + meta + "}}");
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The hybrid model {@code q1-N-hybrid} over the same items: the same reads except those of every
     * {@link #NEW_EVERY}-th item, which are new arrivals (their factors projected from their text vector), and the
     * hybrid fusion trained with {@link #RESERVED} reserved projected items; its factors go to {@code hybrid_factor}
     * of the items index. Built once, like the base model; returns the seconds spent (0 when reused).
     */
    private static double ensureHybrid(NodeClient node, String index, int n) throws Exception {
        String interactions = index + "-hybrid-interactions";
        JsonObject meta = new JsonObject();
        meta.addProperty("new_every", NEW_EVERY);
        meta.addProperty("reserved", RESERVED);
        // Versions trained before projected items had a field of their own search them through a filter: retrain.
        meta.addProperty("projected_field", true);
        meta.addProperty("item_id_field", true);
        meta.addProperty("complete", true);
        if (built(node, interactions, "q1_hybrid", meta)) {
            return 0;
        }
        long start = System.nanoTime();
        node.delete("/" + interactions);
        node.delete("/" + index + "-hybrid-users");
        node.delete("/_recsys/models/" + index + "-hybrid");
        node.json(
            "PUT",
            "/" + interactions,
            "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, \"refresh_interval\": \"-1\"}"
                + ", \"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}}}}"
        );
        Bulk reads = new Bulk(node, interactions);
        new Catalogue(SEED, n).interactions(users(n), (u, item) -> {
            if (item % NEW_EVERY != 0) {
                reads.add(null).append("{\"user_id\":\"").append(user(u)).append("\",\"item_id\":\"").append(item).append("\"}\n");
            }
        });
        reads.flush();
        node.json("POST", "/" + interactions + "/_refresh", null);
        String trained = node
            .json("POST", "/_recsys/models/" + index + "-hybrid/_train?filter_path=status,metrics.fusion", String.format(Locale.ROOT, """
                {"interactions": {"index": "%s"},
                 "items": {"index": "%s", "vector_field": "hybrid_factor"},
                 "users": {"index": "%s-hybrid-users", "vector_field": "factor"},
                 "projection": {"text_field": "text_vector"},
                 "content": {"text_field": "text_vector"},
                 "fusion": {"reserved": %d},
                 "params": {"rank": %d, "iterations": 5, "threads": 2}}""", interactions, index, index, RESERVED, RANK));
        System.err.println("hybrid model: " + trained);
        for (String name : List.of(index, index + "-hybrid-users")) {
            node.json("POST", "/" + name + "/_refresh", null);
            node.json("POST", "/" + name + "/_forcemerge?max_num_segments=1", null);
        }
        node.json("PUT", "/" + interactions + "/_mapping", "{\"_meta\":{\"q1_hybrid\":" + meta + "}}");
        return (System.nanoTime() - start) / 1e9;
    }

    /** One request for sample {@code i} of the sampled users (or histories), timed by {@link #run}. */
    @FunctionalInterface
    interface Request {
        void send(int sample) throws Exception;
    }

    /**
     * The paths in turn, in {@link #BLOCKS} blocks of {@code requests / BLOCKS} each, so that a change of load on the
     * shared machine hits them alike; one set of latencies per path.
     */
    static Latencies[] alternate(List<Request> paths, int samples, int clients, int requests, long maxNanos) throws Exception {
        Latencies[] out = new Latencies[paths.size()];
        for (int p = 0; p < out.length; p++) {
            out[p] = new Latencies(requests);
        }
        for (int block = 0; block < BLOCKS; block++) {
            for (int p = 0; p < out.length; p++) {
                out[p].add(run(paths.get(p), samples, clients, requests / BLOCKS, maxNanos / (2 * BLOCKS)));
            }
        }
        return out;
    }

    /** {@code requests} requests from {@code clients} concurrent clients, each for a random one of {@code samples}. */
    static Latencies run(Request request, int samples, int clients, int requests, long maxNanos) throws Exception {
        Latencies all = new Latencies(requests);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + maxNanos;
        long start = System.nanoTime();
        try {
            List<Future<Latencies>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int share = requests / clients + (c < requests % clients ? 1 : 0);
                SplittableRandom users = new SplittableRandom(SEED * 1000 + c);
                futures.add(pool.submit(() -> client(request, samples, users, share, deadline)));
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

    private static Latencies client(Request request, int samples, SplittableRandom users, int requests, long deadline) throws Exception {
        Latencies l = new Latencies(requests);
        for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
            int sample = users.nextInt(samples);
            long t0 = System.nanoTime();
            request.send(sample);
            l.record((System.nanoTime() - t0) / 1e6);
        }
        return l;
    }

    static StringBuilder append(StringBuilder sb, float[] v) {
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']');
    }

    /** The request of each path for each sampled user, built before the clock starts. */
    static final class Requests {
        private final NodeClient node;
        private final String index;
        private final String[] knn = new String[SAMPLED_USERS];
        private final String[] knnDocValueIds = new String[SAMPLED_USERS];
        private final String[] knnExcludingSeen = new String[SAMPLED_USERS];
        private final String[] recommend = new String[SAMPLED_USERS];
        private final String[] recommendFused = new String[SAMPLED_USERS];
        private final String[] fused = new String[SAMPLED_USERS];
        private final String[] recommendHybrid = new String[SAMPLED_USERS];

        Requests(NodeClient node, String index, String itemField, String userField, int n) throws Exception {
            this.node = node;
            this.index = index;
            SplittableRandom r = new SplittableRandom(SEED);
            StringBuilder ids = new StringBuilder();
            int[] sampled = new int[SAMPLED_USERS];
            for (int s = 0; s < SAMPLED_USERS; s++) {
                sampled[s] = r.nextInt(users(n));
                ids.append(s == 0 ? "" : ",").append('"').append(user(sampled[s])).append('"');
            }
            JsonArray docs = JsonParser
                .parseString(node.json("POST", "/" + index + "-users/_mget?_source_includes=" + userField, "{\"ids\": [" + ids + "]}"))
                .getAsJsonObject()
                .getAsJsonArray("docs");
            for (int s = 0; s < SAMPLED_USERS; s++) {
                JsonArray factor = docs.get(s).getAsJsonObject().getAsJsonObject("_source").getAsJsonArray(userField);
                StringBuilder vector = new StringBuilder("[");
                for (JsonElement x : factor) {
                    vector.append(vector.length() > 1 ? "," : "").append(x.getAsString());
                }
                String search = "{\"size\":"
                    + K
                    + ",\"_source\":false,\"knn\":{\"field\":\""
                    + itemField
                    + "\",\"k\":"
                    + K
                    + ",\"num_candidates\":"
                    + NUM_CANDIDATES
                    + ",\"query_vector\":"
                    + vector
                    + "]";
                knn[s] = search + "}}";
                knnDocValueIds[s] = search + "},\"stored_fields\":\"_none_\",\"docvalue_fields\":[\"" + itemField + "_id\"]}";
                String seen = seen(user(sampled[s]));
                knnExcludingSeen[s] = search + ",\"filter\":{\"bool\":{\"must_not\":{\"ids\":{\"values\":" + seen + "}}}}}}";
                String userSpec = "{\"id\":\"" + user(sampled[s]) + "\"}";
                recommend[s] = "{\"user\":" + userSpec + ",\"k\":" + K + ",\"num_candidates\":" + NUM_CANDIDATES + "}";
                recommendFused[s] = "{\"user\":"
                    + userSpec
                    + ",\"k\":"
                    + K
                    + ",\"num_candidates\":"
                    + Math.max(WINDOW, NUM_CANDIDATES)
                    + ",\"fusion\":{\"weights\":[1,0.1,0,0],\"window_size\":"
                    + WINDOW
                    + "}}";
                fused[s] = "{\"size\":"
                    + K
                    + ",\"_source\":false,\"knn\":{\"field\":\""
                    + itemField
                    + "\",\"k\":"
                    + WINDOW
                    + ",\"num_candidates\":"
                    + Math.max(WINDOW, NUM_CANDIDATES)
                    + ",\"query_vector_builder\":{\"recsys_user\":{\"model\":\""
                    + index
                    + "\",\"user\":"
                    + userSpec
                    + "}}"
                    + ",\"filter\":{\"bool\":{\"must_not\":{\"ids\":{\"values\":"
                    + seen
                    + "}}}}}"
                    + ",\"rescore\":{\"window_size\":"
                    + WINDOW
                    + ",\"recsys\":{\"model\":\""
                    + index
                    + "\",\"user\":"
                    + userSpec
                    + ",\"weights\":[1,0.1,0,0],\"text_field\":\"text_vector\"}}}";
                recommendHybrid[s] = "{\"user\":"
                    + userSpec
                    + ",\"k\":"
                    + K
                    + ",\"num_candidates\":"
                    + Math.max(WINDOW, NUM_CANDIDATES)
                    + ",\"fusion\":{\"type\":\"learned\",\"window_size\":"
                    + WINDOW
                    + "}}";
            }
        }

        /** The user's items as a JSON array. */
        private String seen(String user) throws Exception {
            JsonArray hits =
                JsonParser
                    .parseString(
                        node.json(
                            "POST",
                            "/" + index + "-interactions/_search?filter_path=hits.hits._source",
                            "{\"size\": 1000, \"_source\": [\"item_id\"], \"query\": {\"term\": {\"user_id\": \"" + user + "\"}}}"
                        )
                    )
                    .getAsJsonObject()
                    .getAsJsonObject("hits")
                    .getAsJsonArray("hits");
            JsonArray items = new JsonArray();
            for (JsonElement hit : hits) {
                items.add(hit.getAsJsonObject().getAsJsonObject("_source").get("item_id"));
            }
            return items.toString();
        }

        void send(Path path, int sample) throws Exception {
            switch (path) {
                case KNN -> node.json("POST", "/" + index + "/_search?filter_path=hits.hits._id", knn[sample]);
                case KNN_DOCVALUE_IDS -> node.json("POST", "/" + index + "/_search?filter_path=hits.hits.fields", knnDocValueIds[sample]);
                case KNN_EXCLUDING_SEEN -> node.json("POST", "/" + index + "/_search?filter_path=hits.hits._id", knnExcludingSeen[sample]);
                case RECOMMEND -> node.json("POST", "/_recsys/models/" + index + "/_recommend", recommend[sample]);
                case RECOMMEND_FUSED -> node.json("POST", "/_recsys/models/" + index + "/_recommend", recommendFused[sample]);
                case FUSED -> node.json("POST", "/" + index + "/_search?filter_path=hits.hits._id", fused[sample]);
                case RECOMMEND_HYBRID -> node.json("POST", "/_recsys/models/" + index + "-hybrid/_recommend", recommendHybrid[sample]);
            }
        }
    }

    /** {@code _bulk} requests of {@link #BULK_DOCS} documents into one index. */
    static final class Bulk {
        private final NodeClient node;
        private final String index;
        private final StringBuilder body = new StringBuilder(BULK_DOCS * 4000);
        private int docs;

        Bulk(NodeClient node, String index) {
            this.node = node;
            this.index = index;
        }

        /** Appends the action line of a document (id null: generated) and returns the body for its source line. */
        StringBuilder add(String id) {
            if (docs == BULK_DOCS) {
                flush();
            }
            docs++;
            return body.append(id == null ? "{\"index\":{}}\n" : "{\"index\":{\"_id\":\"" + id + "\"}}\n");
        }

        void flush() {
            if (docs == 0) {
                return;
            }
            try {
                String response = node.send("POST", "/" + index + "/_bulk?filter_path=errors", body.toString(), "application/x-ndjson");
                if (response.contains("\"errors\":false") == false) {
                    throw new IllegalStateException("bulk errors in " + index + ": " + response);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            body.setLength(0);
            docs = 0;
        }
    }

    /** Synthetic items and readers around shared topics; item i is the same for every run and batch size. */
    static final class Catalogue {
        interface Reads {
            void read(int user, int item);
        }

        private final float[][] textTopics = new float[TOPICS][TEXT_DIMS];
        private final long seed;
        private final int[][] itemsByTopic;

        Catalogue(long seed, int n) {
            this.seed = seed;
            SplittableRandom r = new SplittableRandom(seed);
            for (int t = 0; t < TOPICS; t++) {
                for (int i = 0; i < TEXT_DIMS; i++) {
                    textTopics[t][i] = (float) (gaussian(r) / Math.sqrt(TEXT_DIMS));
                }
            }
            int[] counts = new int[TOPICS];
            for (int id = 0; id < n; id++) {
                counts[topic(id)]++;
            }
            itemsByTopic = new int[TOPICS][];
            for (int t = 0; t < TOPICS; t++) {
                itemsByTopic[t] = new int[counts[t]];
                counts[t] = 0;
            }
            for (int id = 0; id < n; id++) {
                int t = topic(id);
                itemsByTopic[t][counts[t]++] = id;
            }
        }

        private SplittableRandom itemRandom(int id) {
            return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        }

        int topic(int id) {
            return itemRandom(id).nextInt(TOPICS);
        }

        void text(int id, float[] text) {
            SplittableRandom r = itemRandom(id);
            int topic = r.nextInt(TOPICS);
            for (int i = 0; i < TEXT_DIMS; i++) {
                text[i] = textTopics[topic][i] + (float) (0.7 * gaussian(r) / Math.sqrt(TEXT_DIMS));
            }
        }

        /** User u likes topic u mod TOPICS; every item is read once by a user of its topic, and each user reads popular items of it. */
        void interactions(int users, Reads reads) {
            SplittableRandom r = new SplittableRandom(seed + 1);
            int perTopic = users / TOPICS;
            for (int t = 0; t < TOPICS; t++) {
                for (int item : itemsByTopic[t]) {
                    reads.read(t + TOPICS * r.nextInt(perTopic), item);
                }
            }
            for (int u = 0; u < perTopic * TOPICS; u++) {
                int[] items = itemsByTopic[u % TOPICS];
                for (int j = 0; j < ITEMS_PER_USER && items.length > 0; j++) {
                    double x = r.nextDouble();
                    reads.read(u, items[(int) (x * x * items.length)]);
                }
            }
        }

        private static double gaussian(SplittableRandom r) {
            // Box–Muller; SplittableRandom has no nextGaussian on JDK 17.
            double u = 1 - r.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
        }
    }

    /** Client-side latencies of one run, in milliseconds. */
    static final class Latencies {
        double[] ms;
        int count;
        double seconds;

        Latencies(int capacity) {
            ms = new double[Math.max(1, capacity)];
        }

        void record(double value) {
            if (count == ms.length) {
                ms = Arrays.copyOf(ms, 2 * count);
            }
            ms[count++] = value;
        }

        void add(Latencies other) {
            for (int i = 0; i < other.count; i++) {
                record(other.ms[i]);
            }
            seconds += other.seconds;
        }

        double percentile(double p) {
            double[] v = Arrays.copyOf(ms, count);
            Arrays.sort(v);
            return v[Math.min(count - 1, Math.max(0, (int) Math.ceil(p * count) - 1))];
        }
    }
}

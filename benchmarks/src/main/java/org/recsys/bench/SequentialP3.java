package org.recsys.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.recsys.core.cli.RecsFile;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.SequentialRecommendations;
import org.recsys.core.sequential.SequentialModel;
import org.recsys.core.sequential.SequentialModelFile;
import org.recsys.core.sequential.SequentialParams;
import org.recsys.core.util.SuppressForbidden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sequential model on protocol P3 through a node, beside core offline, in one session:
 * {@code SequentialP3 all|latency URL SPLITS ITEMS_JSONL OUT_DIR THREADS MAX_EPOCHS REQUESTS MAX_SECONDS CLIENTS...}
 * (MAX_EPOCHS 0: core's default; {@code latency} times the queries only, against the node's model of an earlier
 * {@code all} and the offline model it left in OUT_DIR).
 *
 * <p>Training: core's trainer in this JVM on {@code p3_train} with {@code p3_valid} as the validation step (what
 * {@code scripts/recsys sequential} does), then {@code _train} type {@code sequential} in the node on the same rows
 * loaded as an index (train + valid; the node holds out each user's last item, which is P3's validation item), both
 * with the same parameters and PyTorch threads; wall times, epochs, and whether the two models are the same bytes.
 * Each writes its P3 recommendations (the node's through {@code _recommend} with the user's id) to OUT_DIR for
 * {@code evaluate.py}.
 *
 * <p>Latency (protocol Q1's way: client wall clock, paths alternating in blocks, 1 and 8 clients) for users with at
 * least 200 interactions, each with their 200 most recent as the history: {@code knn}, the plain {@code knn} search
 * with the user's tail vector in the request (the floor); {@code user_vector}, {@code POST _user} with the 200-item
 * history (the query vector alone: the node runs the encoder); {@code knn_history}, {@code knn} with the
 * {@code recsys_user} vector of that history and its items excluded; {@code recommend_id}, {@code _recommend} with the
 * user's id (the node reads the user's interactions, then encodes). Also the encoder alone in this JVM
 * ({@code SequentialModel.query}, one thread) on the same histories.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class SequentialP3 {

    static final String MODEL = "seq-p3";
    static final String INTERACTIONS = "seq-p3-interactions";
    static final String ITEMS = "seq-p3-movies";
    static final int HISTORY = 200;
    static final int K = 10;
    static final int NUM_CANDIDATES = 100;

    public static void main(String[] args) throws Exception {
        boolean train = switch (args[0]) {
            case "all" -> true;
            case "latency" -> false;
            default -> throw new IllegalArgumentException("mode [" + args[0] + "]: expected all or latency");
        };
        NodeClient node = new NodeClient(args[1]);
        Path splits = Path.of(args[2]);
        Path itemsFile = Path.of(args[3]);
        Path out = Path.of(args[4]);
        int threads = Integer.parseInt(args[5]);
        int maxEpochs = Integer.parseInt(args[6]);
        int requests = Integer.parseInt(args[7]);
        long maxNanos = Long.parseLong(args[8]) * 1_000_000_000L;
        int[] clients = java.util.Arrays.stream(args, 9, args.length).mapToInt(Integer::parseInt).toArray();
        Files.createDirectories(out);

        List<Rating> rows = InteractionFiles.read(splits.resolve("p3_train.tsv"));
        List<Rating> valid = InteractionFiles.read(splits.resolve("p3_valid.tsv"));
        Path offlineFile = out.resolve("offline.bin");
        SequentialModel model = train ? trainBoth(node, rows, valid, itemsFile, out, threads, maxEpochs)
            : Files.exists(offlineFile) ? SequentialModelFile.fromBytes(Files.readAllBytes(offlineFile))
            : null;
        String field = JsonParser.parseString(node.json("GET", "/_recsys/models/" + MODEL, null))
            .getAsJsonObject()
            .getAsJsonArray("models")
            .get(0)
            .getAsJsonObject()
            .getAsJsonObject("served")
            .get("item_field")
            .getAsString();
        latency(node, model, field, histories(rows, valid), requests, maxNanos, clients);
    }

    /** Trains offline, then in the node, and writes both P3 recommendation files; answers the offline model. */
    private static SequentialModel trainBoth(
        NodeClient node,
        List<Rating> train,
        List<Rating> valid,
        Path itemsFile,
        Path out,
        int threads,
        int maxEpochs
    ) throws Exception {
        SequentialParams d = SequentialParams.defaults();
        SequentialParams params = maxEpochs == 0
            ? d
            : SequentialParams.builder()
                .hidden(d.hidden())
                .layers(d.layers())
                .heads(d.heads())
                .maxLength(d.maxLength())
                .maskProbability(d.maskProbability())
                .everyMasked(d.everyMasked())
                .dropout(d.dropout())
                .learningRate(d.learningRate())
                .weightDecay(d.weightDecay())
                .batchSize(d.batchSize())
                .maxEpochs(maxEpochs)
                .patience(d.patience())
                .seed(d.seed())
                .causal(d.causal())
                .negatives(d.negatives())
                .build();

        // Offline, as scripts/recsys sequential: PyTorch on this thread, the same thread count.
        System.setProperty("ai.djl.offline", "true");
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        double loadBefore = Measurements.loadAverage();
        long t0 = System.nanoTime();
        int[] epochs = new int[1];
        SequentialRecommendations offline = SequentialRecommendations.train(train, valid, params, (e, l, v, s) -> epochs[0] = e);
        double offlineSeconds = (System.nanoTime() - t0) / 1e9;
        SequentialModel model = offline.model();
        byte[] bytes = SequentialModelFile.toBytes(model);
        Files.write(out.resolve("offline.bin"), bytes);
        RecsFile.write(out.resolve("offline.tsv"), offline.topN(train, valid, K, threads));
        System.out.println(
            Measurements.json(
                "benchmark",
                "P3-train",
                "where",
                "offline",
                "threads",
                threads,
                "params",
                params.toString(),
                "seconds",
                offlineSeconds,
                "epochs",
                epochs[0],
                "best_epoch",
                offline.bestEpoch(),
                "seconds_per_epoch",
                offlineSeconds / epochs[0],
                "model_sha256",
                sha256(bytes),
                "load_1m_before",
                loadBefore,
                "load_1m_after",
                Measurements.loadAverage()
            )
        );

        // The node: the same rows as an index, the same parameters.
        load(node, train, valid, itemsFile);
        loadBefore = Measurements.loadAverage();
        t0 = System.nanoTime();
        String maxEpochsParam = maxEpochs == 0 ? "" : ", \"max_epochs\": " + maxEpochs;
        JsonObject trained =
            JsonParser
                .parseString(
                    node.json(
                        "POST",
                        "/_recsys/models/" + MODEL + "/_train",
                        String.format(
                            Locale.ROOT,
                            """
                                {"type": "sequential", "interactions": {"index": "%s", "timestamp_field": "timestamp"},
                                 "items": {"index": "%s", "vector_field": "seq"}, "params": {"threads": %d%s}}""",
                            INTERACTIONS,
                            ITEMS,
                            threads,
                            maxEpochsParam
                        )
                    )
                )
                .getAsJsonObject();
        double nodeSeconds = (System.nanoTime() - t0) / 1e9;
        JsonObject metrics = trained.getAsJsonObject("metrics");
        JsonObject phases = metrics.getAsJsonObject("seconds");
        int nodeEpochs = metrics.get("epochs").getAsInt();
        System.out.println(
            Measurements.json(
                "benchmark",
                "P3-train",
                "where",
                "node",
                "threads",
                threads,
                "seconds",
                nodeSeconds,
                "read_s",
                phases.get("read").getAsDouble(),
                "train_s",
                phases.get("train").getAsDouble(),
                "write_s",
                phases.get("write").getAsDouble(),
                "epochs",
                nodeEpochs,
                "best_epoch",
                metrics.get("best_epoch").getAsInt(),
                "seconds_per_epoch",
                phases.get("train").getAsDouble() / nodeEpochs,
                "vs_offline",
                nodeSeconds / offlineSeconds,
                "same_model",
                metrics.get("model_sha256").getAsString().equals(sha256(bytes)),
                "load_1m_before",
                loadBefore,
                "load_1m_after",
                Measurements.loadAverage()
            )
        );
        RecsFile.write(out.resolve("node.tsv"), nodeTop(node, histories(train, valid).keySet()));
        return model;
    }

    /** P3's train + valid rows as an index (integer ids, so ties order as the files do), and the movies. */
    private static void load(NodeClient node, List<Rating> train, List<Rating> valid, Path itemsFile) throws Exception {
        for (String index : List.of(INTERACTIONS, ITEMS)) {
            node.delete("/" + index);
        }
        node.delete("/_recsys/models/" + MODEL);
        String settings = "\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0}";
        node.json("PUT", "/" + INTERACTIONS, "{" + settings + """
            , "mappings": {"properties": {"user_id": {"type": "integer"}, "item_id": {"type": "integer"},
               "timestamp": {"type": "date", "format": "epoch_second"}}}}""");
        List<Rating> rows = new ArrayList<>(train);
        rows.addAll(valid);
        LatencyQ1.Bulk reads = new LatencyQ1.Bulk(node, INTERACTIONS);
        for (Rating r : rows) {
            reads.add(null)
                .append("{\"user_id\":")
                .append(r.user())
                .append(",\"item_id\":")
                .append(r.item())
                .append(",\"timestamp\":")
                .append(r.timestamp())
                .append("}\n");
        }
        reads.flush();
        node.json("PUT", "/" + ITEMS, "{" + settings + ", \"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}}}}");
        LatencyQ1.Bulk movies = new LatencyQ1.Bulk(node, ITEMS);
        for (String line : Files.readAllLines(itemsFile)) {
            JsonObject item = JsonParser.parseString(line).getAsJsonObject();
            movies.add(item.get("item_id").getAsString()).append("{\"title\":").append(item.get("title")).append("}\n");
        }
        movies.flush();
        for (String index : List.of(INTERACTIONS, ITEMS)) {
            node.json("POST", "/" + index + "/_refresh", null);
        }
    }

    /** Each user's train + valid items ordered by (timestamp, item), as the node orders them. */
    static Map<String, List<String>> histories(List<Rating> train, List<Rating> valid) {
        List<Rating> rows = new ArrayList<>(train);
        rows.addAll(valid);
        rows.sort(
            Comparator.comparingInt((Rating r) -> Integer.parseInt(r.user()))
                .thenComparingLong(Rating::timestamp)
                .thenComparingInt(r -> Integer.parseInt(r.item()))
        );
        Map<String, List<String>> histories = new LinkedHashMap<>();
        rows.forEach(r -> histories.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r.item()));
        return histories;
    }

    /** Every user's top 10 through _recommend with their id (their train + valid items read by the node, and excluded). */
    private static Map<String, List<String>> nodeTop(NodeClient node, Iterable<String> users) throws Exception {
        Map<String, List<String>> top = new LinkedHashMap<>();
        for (String user : users) {
            JsonArray items =
                JsonParser.parseString(node.json("POST", "/_recsys/models/" + MODEL + "/_recommend", String.format(Locale.ROOT, """
                    {"user": {"id": "%s"}, "k": %d, "num_candidates": 2000}""", user, K))).getAsJsonObject().getAsJsonArray("items");
            List<String> ids = new ArrayList<>();
            items.forEach(i -> ids.add(i.getAsJsonObject().get("id").getAsString()));
            top.put(user, ids);
        }
        return top;
    }

    /** @param model the offline model, or null to skip the in-process encoder */
    private static void latency(
        NodeClient node,
        SequentialModel model,
        String field,
        Map<String, List<String>> histories,
        int requests,
        long maxNanos,
        int[] clients
    ) throws Exception {
        List<String> users = new ArrayList<>();
        List<List<String>> recent = new ArrayList<>();
        histories.forEach((user, items) -> {
            if (items.size() >= HISTORY) {
                users.add(user);
                recent.add(items.subList(items.size() - HISTORY, items.size()));
            }
        });
        int n = users.size();
        String[] historyJson = new String[n];
        String[] excluded = new String[n];
        String[] vectors = new String[n];
        for (int i = 0; i < n; i++) {
            JsonArray history = new JsonArray();
            JsonArray ids = new JsonArray();
            recent.get(i).forEach(item -> {
                JsonObject h = new JsonObject();
                h.addProperty("item", item);
                history.add(h);
                ids.add(item);
            });
            historyJson[i] = "{\"history\": " + history + "}";
            excluded[i] = ids.toString();
            vectors[i] =
                JsonParser.parseString(node.json("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": " + historyJson[i] + "}"))
                    .getAsJsonObject()
                    .get("vector")
                    .toString();
        }

        if (model == null) {
            System.err.println("no offline model in the output directory: the encoder is not timed in process");
        } else {
            encoderInProcess(model, recent, HISTORY);
        }
        knnPaths(node, field, users, historyJson, excluded, vectors, requests, maxNanos, clients);
    }

    /** The encoder alone, in this JVM on one thread: what the node adds per request at best. One round to warm up. */
    static void encoderInProcess(SequentialModel model, List<List<String>> recent, int history) {
        int n = recent.size();
        LatencyQ1.Latencies encoder = new LatencyQ1.Latencies(10 * n);
        for (int round = 0; round <= 10; round++) {
            for (List<String> h : recent) {
                long t0 = System.nanoTime();
                model.query(h);
                if (round > 0) {
                    encoder.record((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        System.out.println(
            Measurements.json(
                "benchmark",
                "Q1-seq",
                "path",
                "encoder_in_process",
                "items",
                model.shape().items(),
                "history",
                history,
                "users",
                n,
                "requests",
                encoder.count,
                "p50_ms",
                encoder.percentile(0.5),
                "p99_ms",
                encoder.percentile(0.99),
                "load_1m_after",
                Measurements.loadAverage()
            )
        );
    }

    private static void knnPaths(
        NodeClient node,
        String field,
        List<String> users,
        String[] historyJson,
        String[] excluded,
        String[] vectors,
        int requests,
        long maxNanos,
        int[] clients
    ) throws Exception {
        int n = users.size();

        String knn = "{\"size\": %d, \"_source\": false, \"knn\": {\"field\": \"%s\", \"k\": %d, \"num_candidates\": %d, ";
        List<String> names = List.of("knn", "user_vector", "knn_history", "recommend_id");
        List<LatencyQ1.Request> paths = List.of(
            i -> node.json(
                "POST",
                "/" + ITEMS + "/_search",
                String.format(Locale.ROOT, knn, K, field, K, NUM_CANDIDATES) + "\"query_vector\": " + vectors[i] + "}}"
            ),
            i -> node.json("POST", "/_recsys/models/" + MODEL + "/_user", "{\"user\": " + historyJson[i] + "}"),
            i -> node.json(
                "POST",
                "/" + ITEMS + "/_search",
                String.format(Locale.ROOT, knn, K, field, K, NUM_CANDIDATES)
                    + "\"query_vector_builder\": {\"recsys_user\": {\"model\": \""
                    + MODEL
                    + "\", \"user\": "
                    + historyJson[i]
                    + "}}, "
                    + "\"filter\": {\"bool\": {\"must_not\": {\"ids\": {\"values\": "
                    + excluded[i]
                    + "}}}}}}"
            ),
            i -> node.json("POST", "/_recsys/models/" + MODEL + "/_recommend", String.format(Locale.ROOT, """
                {"user": {"id": "%s"}, "k": %d, "num_candidates": %d}""", users.get(i), K, NUM_CANDIDATES))
        );
        for (LatencyQ1.Request path : paths) {
            LatencyQ1.run(path, n, 1, LatencyQ1.WARMUP_REQUESTS, maxNanos);
        }
        for (int c : clients) {
            double loadBefore = Measurements.loadAverage();
            LatencyQ1.Latencies[] byPath = LatencyQ1.alternate(paths, n, c, requests, maxNanos);
            double knnP50 = byPath[0].percentile(0.5);
            for (int p = 0; p < paths.size(); p++) {
                LatencyQ1.Latencies l = byPath[p];
                System.out.println(
                    Measurements.json(
                        "benchmark",
                        "Q1-seq",
                        "path",
                        names.get(p),
                        "items",
                        1682,
                        "history",
                        HISTORY,
                        "users",
                        n,
                        "clients",
                        c,
                        "requests",
                        l.count,
                        "k",
                        K,
                        "num_candidates",
                        NUM_CANDIDATES,
                        "p50_ms",
                        l.percentile(0.5),
                        "p99_ms",
                        l.percentile(0.99),
                        "p50_vs_knn",
                        l.percentile(0.5) / knnP50,
                        "requests_per_s",
                        l.count / l.seconds,
                        "load_1m_before",
                        loadBefore,
                        "load_1m_after",
                        Measurements.loadAverage()
                    )
                );
            }
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

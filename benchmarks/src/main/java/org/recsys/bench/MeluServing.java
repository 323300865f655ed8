package org.recsys.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.MeluLatency;
import org.recsys.core.eval.MeluPredictions;
import org.recsys.core.eval.MovieLensFeatures;
import org.recsys.core.eval.NewUserSplit;
import org.recsys.core.eval.Rating;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.util.SuppressForbidden;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MeLU served by a running node: {@code MeluServing URL ML100K_DIR REQUESTS}.
 *
 * <p>Loads protocol P4's training ratings, MovieLens's users and its movies (genres, year, director, actors) into
 * {@code melu-bench-*} indices and trains a {@code melu} model with the defaults (two threads). Then, for the P4 new
 * users with at least 20 support ratings, {@code _recommend} with their features and their first 0, 5 or 20 support
 * ratings (0: the unadapted model), k 10, candidates from a match-all query: 100 of them, or the whole catalogue
 * (2,000 ≥ 1,682 items). One client, one request at a time; the configurations alternate in four blocks after a
 * warm-up of each. One JSON line per configuration with p50 and p99 of the client-side latency; the difference
 * between 5 or 20 ratings and none is what adaptation (and excluding the rated items) adds to a request. Then the
 * same model, trained in this JVM from the same files (byte for byte the node's), times adaptation alone as
 * {@code scripts/recsys melu --latency-runs} does, so both figures come from one run at one machine load.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class MeluServing {

    static final String MODEL = "melu-bench";
    static final int[] RATINGS = { 0, 5, 20 };
    static final int[] CANDIDATES = { 100, 2000 };
    static final int BLOCKS = 4;
    static final int WARMUP = 100;

    public static void main(String[] args) throws Exception {
        NodeClient node = new NodeClient(args[0]);
        Path data = Path.of(args[1]);
        int requests = Integer.parseInt(args[2]);
        MovieLensFeatures features = MovieLensFeatures.read(data);
        double trainSeconds = train(node, data, features);

        List<String> users = new ArrayList<>();
        Map<String, List<Rating>> support = NewUserSplit.chronological(InteractionFiles.read(data.resolve("splits/p4_support.tsv")));
        support.forEach((user, rows) -> {
            if (rows.size() >= 20) {
                users.add(user);
            }
        });
        String[][][] bodies = new String[RATINGS.length][CANDIDATES.length][users.size()];
        for (int u = 0; u < users.size(); u++) {
            Map<String, List<String>> raw = features.users().get(users.get(u));
            String userFeatures = String.format(
                Locale.ROOT,
                "{\"gender\": \"%s\", \"age\": %s, \"occupation\": \"%s\", \"zip\": \"%s\"}",
                raw.get("gender").get(0),
                raw.get("age").get(0),
                raw.get("occupation").get(0),
                raw.get("zip").get(0)
            );
            for (int r = 0; r < RATINGS.length; r++) {
                StringBuilder history = new StringBuilder("[");
                for (Rating rating : support.get(users.get(u)).subList(0, RATINGS[r])) {
                    history.append(history.length() > 1 ? ", " : "")
                        .append("{\"item\": \"")
                        .append(rating.item())
                        .append("\", \"rating\": ")
                        .append((int) rating.rating())
                        .append('}');
                }
                String user = "{\"history\": " + history + "], \"features\": " + userFeatures + "}";
                for (int c = 0; c < CANDIDATES.length; c++) {
                    bodies[r][c][u] = "{\"user\": " + user + ", \"k\": 10, \"num_candidates\": " + CANDIDATES[c] + "}";
                }
            }
        }

        for (int r = 0; r < RATINGS.length; r++) {
            for (int c = 0; c < CANDIDATES.length; c++) {
                run(node, bodies[r][c], WARMUP);
            }
        }
        double load = Measurements.loadAverage();
        double[][][] millis = new double[RATINGS.length][CANDIDATES.length][];
        for (int block = 0; block < BLOCKS; block++) {
            for (int r = 0; r < RATINGS.length; r++) {
                for (int c = 0; c < CANDIDATES.length; c++) {
                    double[] m = run(node, bodies[r][c], requests / BLOCKS);
                    double[] all = millis[r][c];
                    millis[r][c] = all == null ? m : concat(all, m);
                }
            }
        }
        double loadAfter = Measurements.loadAverage();
        // The same model trained here (the node's is byte for byte this one): adaptation alone, in process.
        MeluModel model = MeluPredictions.train(
            InteractionFiles.read(data.resolve("splits/p4_train.tsv")),
            features,
            MeluParams.defaults().withThreads(2),
            (e, n, l, s) -> {
            }
        );
        List<Rating> supportRows = InteractionFiles.read(data.resolve("splits/p4_support.tsv"));
        for (int size : new int[]{ 5, 20 }) {
            MeluLatency.Result r = MeluLatency.measure(model, features, supportRows, size, 2000);
            System.out.println(
                Measurements.json(
                    "bench",
                    "melu_adapt_in_process",
                    "ratings",
                    size,
                    "runs",
                    r.runs(),
                    "p50_us",
                    r.p50Micros(),
                    "p99_us",
                    r.p99Micros(),
                    "load_after",
                    Measurements.loadAverage()
                )
            );
        }
        for (int c = 0; c < CANDIDATES.length; c++) {
            double none = percentile(millis[0][c], 0.5);
            for (int r = 0; r < RATINGS.length; r++) {
                System.out.println(
                    Measurements.json(
                        "bench",
                        "melu_recommend",
                        "ratings",
                        RATINGS[r],
                        "num_candidates",
                        CANDIDATES[c],
                        "users",
                        users.size(),
                        "requests",
                        millis[r][c].length,
                        "p50_ms",
                        percentile(millis[r][c], 0.5),
                        "p99_ms",
                        percentile(millis[r][c], 0.99),
                        "p50_minus_unadapted_ms",
                        percentile(millis[r][c], 0.5) - none,
                        "train_seconds",
                        trainSeconds,
                        "load_before",
                        load,
                        "load_after",
                        loadAfter
                    )
                );
            }
        }
    }

    /** Sends the bodies round-robin until {@code n} requests; answers each one's latency in milliseconds. */
    private static double[] run(NodeClient node, String[] bodies, int n) throws Exception {
        double[] millis = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            node.json("POST", "/_recsys/models/" + MODEL + "/_recommend", bodies[i % bodies.length]);
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        return millis;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) (p * v.length))];
    }

    /** The indices and the model, rebuilt each run (a few seconds of loading, then the training); answers training seconds. */
    private static double train(NodeClient node, Path data, MovieLensFeatures features) throws Exception {
        for (String index : List.of("ratings", "users", "movies")) {
            node.delete("/" + MODEL + "-" + index);
        }
        node.delete("/_recsys/models/" + MODEL);
        node.json("PUT", "/" + MODEL + "-ratings", """
            {"mappings": {"properties": {"user_id": {"type": "keyword"}, "item_id": {"type": "keyword"},
             "rating": {"type": "integer"}, "timestamp": {"type": "long"}}}}""");
        StringBuilder bulk = new StringBuilder();
        for (Rating r : InteractionFiles.read(data.resolve("splits/p4_train.tsv"))) {
            bulk.append("{\"index\":{}}\n{\"user_id\":\"")
                .append(r.user())
                .append("\",\"item_id\":\"")
                .append(r.item())
                .append("\",\"rating\":")
                .append((int) r.rating())
                .append(",\"timestamp\":")
                .append(r.timestamp())
                .append("}\n");
        }
        node.send("POST", "/" + MODEL + "-ratings/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
        bulk.setLength(0);
        features.users()
            .forEach((id, raw) -> bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n").append(json(raw)).append('\n'));
        node.send("POST", "/" + MODEL + "-users/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
        bulk.setLength(0);
        features.items()
            .forEach((id, raw) -> bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n").append(json(raw)).append('\n'));
        node.send("POST", "/" + MODEL + "-movies/_bulk?refresh=true", bulk.toString(), "application/x-ndjson");
        String response = node.json(
            "POST",
            "/_recsys/models/" + MODEL + "/_train",
            String.format(
                Locale.ROOT,
                """
                    {"type": "melu",
                     "interactions": {"index": "%1$s-ratings", "weight_field": "rating", "timestamp_field": "timestamp"},
                     "items": {"index": "%1$s-movies", "features": [{"name": "genres"}, {"name": "year"}, {"name": "director", "split": ","}, {"name": "actors", "split": ","}]},
                     "users": {"index": "%1$s-users", "features": [{"name": "gender"}, {"name": "age", "buckets": [18, 25, 35, 45, 50, 56]}, {"name": "occupation"}, {"name": "zip", "prefix": 2}]},
                     "params": {"threads": 2}}""",
                MODEL
            )
        );
        JsonObject metrics = JsonParser.parseString(response).getAsJsonObject().getAsJsonObject("metrics");
        return metrics.getAsJsonObject("seconds").get("train").getAsDouble();
    }

    /** Raw features as a document: each feature an array of strings, as the files give them. */
    private static String json(Map<String, List<String>> raw) {
        JsonObject doc = new JsonObject();
        raw.forEach((name, values) -> {
            com.google.gson.JsonArray array = new com.google.gson.JsonArray();
            values.forEach(array::add);
            doc.add(name, array);
        });
        return doc.toString();
    }
}

package org.recsys.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.recsys.core.util.SuppressForbidden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One run of protocol I1 against a freshly started node: {@code IngestI1 URL ITEMS.jsonl PIPELINE SINGLE_DOCS MODEL
 * CONFIG RUN} (CONFIG: the node's inference workers and threads as the caller set them, recorded only). After a
 * warm-up (the model loads on the first batch, and every worker runs once), loads every item through {@code _bulk}
 * (requests of 500 documents, one client) into a fresh index, then SINGLE_DOCS items one request at a time. Prints
 * one line with both rates, the mean tokens per document of the bulk (from the encoder's stats) and the load
 * average before and after.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class IngestI1 {

    public static void main(String[] args) throws Exception {
        NodeClient node = new NodeClient(args[0]);
        List<String> items = Files.readAllLines(Path.of(args[1]));
        String pipeline = args[2];
        int single = Integer.parseInt(args[3]);
        String model = args[4];
        String config = args[5];
        int run = Integer.parseInt(args[6]);

        bulkDocsPerSecond(node, items.subList(0, Math.min(128, items.size())), pipeline);
        singleDocsPerSecond(node, items.subList(0, Math.min(4, items.size())), pipeline);
        JsonObject before = encoderStats(node, model);
        double loadBefore = Measurements.loadAverage();
        double bulk = bulkDocsPerSecond(node, items, pipeline);
        JsonObject after = encoderStats(node, model);
        double oneAtATime = singleDocsPerSecond(node, items.subList(0, single), pipeline);
        long documents = after.get("documents").getAsLong() - before.get("documents").getAsLong();
        System.out.println(
            Measurements.json(
                "benchmark",
                "I1-run",
                "model",
                model,
                "config",
                config,
                "run",
                run,
                "bulk_documents",
                items.size(),
                "bulk_docs_per_s",
                bulk,
                "single_documents",
                single,
                "single_docs_per_s",
                oneAtATime,
                "mean_tokens",
                (double) (after.get("tokens").getAsLong() - before.get("tokens").getAsLong()) / documents,
                "bulk_forward_passes",
                after.get("batches").getAsLong() - before.get("batches").getAsLong(),
                "load_average_before",
                loadBefore,
                "load_average",
                Measurements.loadAverage(),
                "omp_wait_policy",
                String.valueOf(System.getenv("OMP_WAIT_POLICY"))
            )
        );
        node.delete("/i1-bulk");
        node.delete("/i1-single");
    }

    private static JsonObject encoderStats(NodeClient node, String model) throws Exception {
        return JsonParser.parseString(node.send("GET", "/_recsys/encoders/_stats", null, null))
            .getAsJsonObject()
            .getAsJsonObject("encoders")
            .getAsJsonObject(model);
    }

    private static double bulkDocsPerSecond(NodeClient node, List<String> items, String pipeline) throws Exception {
        recreate(node, "i1-bulk");
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += 500) {
            StringBuilder body = new StringBuilder();
            for (String item : items.subList(from, Math.min(items.size(), from + 500))) {
                body.append("{\"index\": {}}\n").append(item).append('\n');
            }
            String response = node.send("POST", "/i1-bulk/_bulk?pipeline=" + pipeline, body.toString(), "application/x-ndjson");
            if (response.startsWith("{\"errors\":true")) {
                throw new IllegalStateException("bulk errors: " + response.substring(0, 500));
            }
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double singleDocsPerSecond(NodeClient node, List<String> items, String pipeline) throws Exception {
        recreate(node, "i1-single");
        long start = System.nanoTime();
        for (String item : items) {
            node.json("POST", "/i1-single/_doc?pipeline=" + pipeline, item);
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static void recreate(NodeClient node, String index) throws Exception {
        node.delete("/" + index);
        node.json("PUT", "/" + index, """
            {"settings": {"number_of_replicas": 0}, "mappings": {"properties": {
              "text_vector": {"type": "dense_vector", "index": true, "similarity": "cosine"}}}}""");
    }
}

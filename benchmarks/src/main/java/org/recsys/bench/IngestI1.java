package org.recsys.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Protocol I1 against a running node: {@code IngestI1 URL ITEMS.jsonl PIPELINE SINGLE_DOCS RUNS MODEL NODE_THREADS}
 * (NODE_THREADS: the node's PyTorch intra-op threads as set by the caller, or "default", recorded only). Each run
 * loads every item through {@code _bulk} (requests of 500 documents, one client) into a fresh index, then
 * SINGLE_DOCS items one request at a time; both paths alternate so that the machine's noise touches both. Prints a
 * line per run, then the medians with the mean tokens per document of the first load (from the encoder's stats).
 */
public final class IngestI1 {

    public static void main(String[] args) throws Exception {
        NodeClient node = new NodeClient(args[0]);
        List<String> items = Files.readAllLines(Path.of(args[1]));
        String pipeline = args[2];
        int single = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        String model = args[5];
        String nodeThreads = args[6];

        double[] bulk = new double[runs];
        double[] oneAtATime = new double[runs];
        String statsAfterFirstBulk = null;
        for (int run = 0; run < runs; run++) {
            bulk[run] = bulkDocsPerSecond(node, items, pipeline);
            if (run == 0) {
                statsAfterFirstBulk = node.send("GET", "/_recsys/encoders/_stats", null, null);
            }
            oneAtATime[run] = singleDocsPerSecond(node, items.subList(0, single), pipeline);
            System.out.println(Measurements.json(
                "benchmark", "I1-run",
                "model", model,
                "node_torch_threads", nodeThreads,
                "run", run + 1,
                "bulk_docs_per_s", bulk[run],
                "single_docs_per_s", oneAtATime[run],
                "load_average", Measurements.loadAverage()
            ));
        }
        System.out.println(Measurements.json(
            "benchmark", "I1",
            "model", model,
            "node_torch_threads", nodeThreads,
            "bulk_documents", items.size(),
            "bulk_docs_per_s", Measurements.median(bulk),
            "bulk_runs", bulk,
            "single_documents", single,
            "single_docs_per_s", Measurements.median(oneAtATime),
            "single_runs", oneAtATime,
            "encoder_stats_after_bulk", statsAfterFirstBulk.replace('"', '\'')
        ));
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

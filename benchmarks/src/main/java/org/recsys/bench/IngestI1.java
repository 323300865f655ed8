package org.recsys.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Protocol I1 against a running node: {@code IngestI1 URL ITEMS.jsonl PIPELINE SINGLE_DOCS}. Loads every item
 * through {@code _bulk} (requests of 500 documents, one client), then SINGLE_DOCS items one request at a time, and
 * prints documents per second for both with the encoder's mean tokens per document.
 */
public final class IngestI1 {

    public static void main(String[] args) throws Exception {
        NodeClient node = new NodeClient(args[0]);
        List<String> items = Files.readAllLines(Path.of(args[1]));
        String pipeline = args[2];
        int single = Integer.parseInt(args[3]);

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
        double bulkSeconds = (System.nanoTime() - start) / 1e9;
        String stats = node.send("GET", "/_recsys/encoders/_stats", null, null);

        recreate(node, "i1-single");
        start = System.nanoTime();
        for (String item : items.subList(0, single)) {
            node.json("POST", "/i1-single/_doc?pipeline=" + pipeline, item);
        }
        double singleSeconds = (System.nanoTime() - start) / 1e9;
        System.out.println(Measurements.json(
            "benchmark", "I1",
            "bulk_documents", items.size(),
            "bulk_docs_per_s", items.size() / bulkSeconds,
            "single_documents", single,
            "single_docs_per_s", single / singleSeconds,
            "encoder_stats_after_bulk", stats.replace('"', '\'')
        ));
    }

    private static void recreate(NodeClient node, String index) throws Exception {
        node.delete("/" + index);
        node.json("PUT", "/" + index, """
            {"settings": {"number_of_replicas": 0}, "mappings": {"properties": {
              "text_vector": {"type": "dense_vector", "index": true, "similarity": "cosine"}}}}""");
    }
}

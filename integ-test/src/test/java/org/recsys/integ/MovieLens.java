package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Loads the shared MovieLens 100K files into a node's indices as a user would, with {@code _bulk}. */
final class MovieLens {

    static final Path SHARED = Path.of(System.getProperty("tests.shared.dir"));
    static final Path SPLITS = SHARED.resolve("datasets/ml-100k/splits");
    static final Path ITEMS = SHARED.resolve("datasets/ml-100k/items_text.jsonl");

    private MovieLens() {}

    /** A TSV {@code user item rating timestamp} file as documents {@code user_id, item_id, rating, timestamp}. */
    static int loadInteractions(TestNode node, String index, Path tsv) {
        return loadInteractions(node, index, InteractionFiles.read(tsv), "keyword");
    }

    /**
     * Rows as documents {@code user_id, item_id, rating, timestamp}, the ids mapped as {@code idType} ({@code keyword},
     * or {@code integer} to sort them as numbers, as the protocol files are).
     */
    static int loadInteractions(TestNode node, String index, List<Rating> rows, String idType) {
        node.call("DELETE", "/" + index);
        node.ok("PUT", "/" + index, String.format(Locale.ROOT, """
            {"mappings": {"properties": {"user_id": {"type": "%1$s"}, "item_id": {"type": "%1$s"},
             "rating": {"type": "integer"}, "timestamp": {"type": "date", "format": "epoch_second"}}}}""", idType));
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            Rating r = rows.get(i);
            bulk.append("{\"index\":{}}\n{\"user_id\":\"")
                .append(r.user())
                .append("\",\"item_id\":\"")
                .append(r.item())
                .append("\",\"rating\":")
                .append((int) r.rating())
                .append(",\"timestamp\":")
                .append(r.timestamp())
                .append("}\n");
            if ((i + 1) % 20_000 == 0 || i == rows.size() - 1) {
                send(node, index, bulk);
                bulk.setLength(0);
            }
        }
        node.ok("POST", "/" + index + "/_refresh");
        return rows.size();
    }

    /** Every movie as a document whose {@code _id} is its item id, with its title. */
    static int loadItems(TestNode node, String index) {
        node.call("DELETE", "/" + index);
        node.ok("PUT", "/" + index, "{\"mappings\": {\"properties\": {\"title\": {\"type\": \"text\"}}}}");
        List<String> lines = read(ITEMS);
        StringBuilder bulk = new StringBuilder();
        for (String line : lines) {
            JsonNode item = json(line);
            bulk.append("{\"index\":{\"_id\":\"").append(item.path("item_id").asText()).append("\"}}\n");
            bulk.append("{\"title\":").append(item.path("title")).append("}\n");
        }
        send(node, index, bulk);
        node.ok("POST", "/" + index + "/_refresh");
        return lines.size();
    }

    /**
     * Every movie with its title, keyed by a field of its own: {@code _id} {@code doc-<item id>} and the item id in
     * {@code idField}, a {@code keyword}.
     */
    static int loadItemsKeyedBy(TestNode node, String index, String idField) {
        node.call("DELETE", "/" + index);
        node.ok("PUT", "/" + index, String.format(Locale.ROOT, """
            {"mappings": {"properties": {"title": {"type": "text"}, "%s": {"type": "keyword"}}}}""", idField));
        List<String> lines = read(ITEMS);
        StringBuilder bulk = new StringBuilder();
        for (String line : lines) {
            JsonNode item = json(line);
            String id = item.path("item_id").asText();
            bulk.append("{\"index\":{\"_id\":\"doc-").append(id).append("\"}}\n");
            bulk.append("{\"").append(idField).append("\":\"").append(id).append("\",\"title\":").append(item.path("title")).append("}\n");
        }
        send(node, index, bulk);
        node.ok("POST", "/" + index + "/_refresh");
        return lines.size();
    }

    /**
     * Every movie as it is in {@code items_text.jsonl}, through a new pipeline {@code pipeline} that puts its MiniLM
     * vector of title, genres and plot in {@code text_vector} (the encoder registered as {@code minilm}).
     */
    static void loadItemsWithTextVectors(TestNode node, String index, String pipeline) {
        node.ok("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        node.ok(
            "PUT",
            "/_ingest/pipeline/" + pipeline,
            """
                {"processors": [{"text_vector": {"fields": ["title", "genres", "plot"], "target_field": "text_vector", "encoder": "minilm"}}]}"""
        );
        loadItemsThrough(node, index, pipeline, """
            {"mappings": {"properties": {"text_vector": {"type": "dense_vector", "dims": 384, "index": true, "similarity": "cosine"}}}}""");
    }

    /** Every movie as it is in {@code items_text.jsonl} into a new index with {@code body}, through {@code pipeline}. */
    static void loadItemsThrough(TestNode node, String index, String pipeline, String body) {
        node.call("DELETE", "/" + index);
        node.ok("PUT", "/" + index, body);
        StringBuilder bulk = new StringBuilder();
        for (String line : read(ITEMS)) {
            bulk.append("{\"index\": {\"_id\": \"").append(json(line).path("item_id").asText()).append("\"}}\n").append(line).append('\n');
        }
        JsonNode loaded = node.ok("POST", "/" + index + "/_bulk?pipeline=" + pipeline + "&refresh=true", bulk.toString());
        assertFalse(loaded.path("errors").asBoolean(), () -> loaded.toString().substring(0, 500));
    }

    private static void send(TestNode node, String index, StringBuilder bulk) {
        JsonNode response = node.ok("POST", "/" + index + "/_bulk", bulk.toString());
        assertFalse(response.path("errors").asBoolean(), () -> "bulk into " + index + " failed: " + response.toString().substring(0, 500));
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String line) {
        try {
            return TestNode.JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

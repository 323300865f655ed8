package org.recsys.core.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Item texts from a JSON-lines catalogue ({@code items_text.jsonl}: one object per item with {@code item_id}),
 * composed exactly as the {@code text_vector} processor composes a document's fields: non-blank strings, lists
 * joined with ", ", parts joined with the separator.
 */
public final class CatalogueTexts {

    private CatalogueTexts() {}

    /** Each item's composed text, in file order; items with nothing to encode are left out. */
    public static Map<String, String> read(Path file, List<String> fields, String separator) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject item = JsonParser.parseString(line).getAsJsonObject();
                String text = compose(item, fields, separator);
                if (text.isEmpty() == false) {
                    out.put(item.get("item_id").getAsString(), text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    static String compose(JsonObject item, List<String> fields, String separator) {
        List<String> parts = new ArrayList<>();
        for (String field : fields) {
            JsonElement value = item.get(field);
            if (value == null || value.isJsonNull()) {
                continue;
            }
            if (value.isJsonArray()) {
                List<String> values = new ArrayList<>();
                value.getAsJsonArray().forEach(v -> values.add(v.getAsString()));
                if (values.isEmpty() == false) {
                    parts.add(String.join(", ", values));
                }
            } else if (value.getAsString().isBlank() == false) {
                parts.add(value.getAsString());
            }
        }
        return String.join(separator, parts);
    }

    /** Whether the item has a non-empty {@code plot} (the P2 cold items were drawn from those). */
    public static List<String> withPlot(Path file) {
        List<String> ids = new ArrayList<>();
        read(file, List.of("plot"), "").forEach((id, plot) -> ids.add(id));
        return ids;
    }
}

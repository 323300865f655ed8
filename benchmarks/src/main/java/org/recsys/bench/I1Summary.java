package org.recsys.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.recsys.core.util.SuppressForbidden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The I1 table of one {@code scripts/bench-i1} session: {@code I1Summary SESSION.jsonl} reads its {@code I1-run} and
 * {@code I1-ceiling} lines and prints, per node configuration, the medians over runs of {@code _bulk} and
 * one-at-a-time, their ratio, and {@code _bulk} against every ceiling configuration and against the best of them.
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class I1Summary {

    public static void main(String[] args) throws Exception {
        Map<String, List<JsonObject>> runs = new LinkedHashMap<>();
        Map<String, Double> ceilings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            switch (o.get("benchmark").getAsString()) {
                case "I1-run" -> runs.computeIfAbsent(o.get("config").getAsString(), k -> new ArrayList<>()).add(o);
                case "I1-ceiling" -> ceilings.put(o.get("config").getAsString(), o.get("docs_per_s").getAsDouble());
                default -> {
                }
            }
        }
        double best = ceilings.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        for (Map.Entry<String, List<JsonObject>> config : runs.entrySet()) {
            List<JsonObject> lines = config.getValue();
            double[] bulk = values(lines, "bulk_docs_per_s");
            double[] single = values(lines, "single_docs_per_s");
            double bulkMedian = Measurements.median(bulk);
            double singleMedian = Measurements.median(single);
            List<Object> fields = new ArrayList<>(
                List.of(
                    "benchmark",
                    "I1",
                    "model",
                    lines.get(0).get("model").getAsString(),
                    "config",
                    config.getKey(),
                    "bulk_documents",
                    lines.get(0).get("bulk_documents").getAsInt(),
                    "mean_tokens",
                    lines.get(0).get("mean_tokens").getAsDouble(),
                    "bulk_docs_per_s",
                    bulkMedian,
                    "bulk_runs",
                    bulk,
                    "single_documents",
                    lines.get(0).get("single_documents").getAsInt(),
                    "single_docs_per_s",
                    singleMedian,
                    "single_runs",
                    single,
                    "bulk_vs_single",
                    bulkMedian / singleMedian,
                    "load_averages",
                    values(lines, "load_average")
                )
            );
            for (Map.Entry<String, Double> ceiling : ceilings.entrySet()) {
                fields.add("bulk_vs_ceiling_" + ceiling.getKey());
                fields.add(bulkMedian / ceiling.getValue());
            }
            fields.add("bulk_vs_best_ceiling");
            fields.add(bulkMedian / best);
            System.out.println(Measurements.json(fields.toArray()));
        }
    }

    private static double[] values(List<JsonObject> lines, String field) {
        return lines.stream().map(o -> o.get(field)).mapToDouble(JsonElement::getAsDouble).toArray();
    }
}

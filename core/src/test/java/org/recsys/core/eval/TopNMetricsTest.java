package org.recsys.core.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsys.core.wals.WalsParams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopNMetricsTest {

    private static final Path SPLITS = Path.of(System.getProperty("tests.shared.dir", "../../shared"), "datasets/ml-100k/splits");

    @Test
    void aHandComputedCase() {
        List<Rating> train = List.of(new Rating("u", "seen", 1, 0));
        List<Rating> test = List.of(new Rating("u", "a", 1, 0), new Rating("u", "c", 1, 0));
        // "seen" is invalid and skipped; then a (hit), b, c (hit) within k = 3.
        Map<String, Double> m = TopNMetrics.evaluate(train, test, Map.of("u", List.of("seen", "a", "b", "c")), 3, null);
        double dcg = 1 + 1 / (Math.log(4) / Math.log(2));
        double idcg = 1 + 1 / (Math.log(3) / Math.log(2));
        assertEquals(round(2 / 3.0), m.get("precision@3"));
        assertEquals(1.0, m.get("recall@3"));
        assertEquals(round(dcg / idcg), m.get("ndcg@3"));
        assertEquals(round((1 + 2 / 3.0) / 2), m.get("map@3"));
        assertEquals(1.0, m.get("hit_rate@3"));
        assertEquals(1.0, m.get("users_with_invalid_recs"));
        Map<String, Double> onlyB = TopNMetrics.evaluate(train, test, Map.of("u", List.of("a", "b", "c")), 3, Set.of("b"));
        assertEquals(0.0, onlyB.get("hit_rate@3"));
    }

    @Test
    void agreesWithTheReferenceScorerOnP1(@TempDir Path tmp) throws Exception {
        List<Rating> train = InteractionFiles.read(SPLITS.resolve("p1_train.tsv"));
        List<Rating> test = InteractionFiles.read(SPLITS.resolve("p1_test.tsv"));
        WalsParams params = WalsParams.builder().rank(16).iterations(3).build();
        var model = WalsRecommendations.train(train, Weighting.BINARY, params);
        var matrix = WalsRecommendations.matrix(train, Weighting.BINARY);
        Map<String, List<String>> recs = WalsRecommendations.topN(model, matrix.byUser(), 10);
        Path file = tmp.resolve("recs.tsv");
        List<String> lines = new ArrayList<>();
        recs.forEach((u, items) -> {
            for (int r = 0; r < items.size(); r++) {
                lines.add(u + "\t" + items.get(r) + "\t" + (r + 1));
            }
        });
        Files.write(file, lines);
        String reference = python(
            SPLITS.resolve("../../../tools/evaluate.py").normalize(),
            "topn",
            SPLITS.resolve("p1_train.tsv").toString(),
            SPLITS.resolve("p1_test.tsv").toString(),
            file.toString()
        );
        Map<String, Double> ours = TopNMetrics.evaluate(train, test, recs, 10, null);
        for (String metric : List.of("precision@10", "recall@10", "ndcg@10", "map@10", "hit_rate@10", "users")) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(metric) + "\": ([0-9.]+)").matcher(reference);
            assertEquals(true, m.find(), metric + " missing from " + reference);
            assertEquals(Double.parseDouble(m.group(1)), ours.get(metric), 0.0, metric + ": " + reference + " vs " + ours);
        }
    }

    private static String python(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

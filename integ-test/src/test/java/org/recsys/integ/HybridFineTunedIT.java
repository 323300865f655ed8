package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.util.SuppressForbidden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * P5 through the node with new arrivals placed by an encoder fine-tuned onto the model's factors: the items are
 * ingested with MiniLM's text vector and the fine-tuned encoder's factor, {@code _train} names the latter as
 * {@code projection.factor_field}, and every test user's {@code _recommend} with the learned fusion is scored. The
 * fine-tuned directory is {@code scripts/recsys finetune}'s output on {@code p5_train.tsv} (minutes of training, about
 * 90 MB), so this runs only when {@code -Dtests.fine_tuned_encoder=DIR} names one (docs/hybrid.md has the command);
 * the mechanism itself is checked on every build by {@link FineTunedEncoderIT}.
 */
@ExtendWith(NodeLogOnFailure.class)
class HybridFineTunedIT {

    private static final TestNode NODE = TestNode.get();
    private static final String MODEL = "hybrid-ft-it";
    private static final String ITEMS = "hybrid-ft-it-movies";
    private static final String INTERACTIONS = "hybrid-ft-it-interactions";
    private static final String USERS = "hybrid-ft-it-users";
    private static final String PIPELINE = "hybrid-ft-it-items";
    private static final String ENCODER = "minilm-p5-factors";

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        for (String index : List.of(ITEMS, INTERACTIONS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
        NODE.call("DELETE", "/_ingest/pipeline/" + PIPELINE);
        NODE.call("DELETE", "/_recsys/encoders/" + ENCODER);
    }

    @Test
    @SuppressForbidden(reason = "prints the figures it measures into the test report")
    void p5ThroughRecommendWithFineTunedNewItemFactors() throws IOException {
        String dir = System.getProperty("tests.fine_tuned_encoder");
        assumeTrue(dir != null && dir.isEmpty() == false, "no -Dtests.fine_tuned_encoder=DIR given");
        Path to = Files.createDirectories(NODE.home().resolve("config/recsys-models/" + ENCODER));
        try (var files = Files.list(Path.of(dir))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        NODE.ok("PUT", "/_recsys/encoders/minilm", "{\"path\": \"minilm\"}");
        NODE.ok("PUT", "/_recsys/encoders/" + ENCODER, "{\"path\": \"" + ENCODER + "\", \"normalize\": false}");
        NODE.ok("PUT", "/_ingest/pipeline/" + PIPELINE, String.format(Locale.ROOT, """
            {"processors": [
              {"text_vector": {"fields": ["title", "genres", "plot"], "target_field": "text_vector", "encoder": "minilm"}},
              {"text_vector": {"fields": ["title", "genres", "plot"], "target_field": "tuned_factor", "encoder": "%s"}}]}""", ENCODER));
        MovieLens.loadItemsThrough(NODE, ITEMS, PIPELINE, """
            {"mappings": {"properties": {"text_vector": {"type": "dense_vector", "dims": 384, "index": true, "similarity": "cosine"},
             "tuned_factor": {"type": "dense_vector", "dims": 64, "index": false}}}}""");
        MovieLens.loadInteractions(NODE, INTERACTIONS, MovieLens.SPLITS.resolve("p5_train.tsv"));

        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "projection": {"text_field": "text_vector", "factor_field": "tuned_factor"}, "content": {"text_field": "text_vector"},
             "fusion": {"reserved": 10}, "params": {"threads": 2}}""", INTERACTIONS, ITEMS, USERS));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        assertEquals("tuned_factor", trained.path("metrics").path("projection").path("factor_field").asText(), trained::toString);

        List<Rating> train = InteractionFiles.read(MovieLens.SPLITS.resolve("p5_train.tsv"));
        List<Rating> test = InteractionFiles.read(MovieLens.SPLITS.resolve("p5_test.tsv"));
        Set<String> testUsers = new HashSet<>();
        test.forEach(r -> testUsers.add(r.user()));
        Map<String, List<String>> served = new LinkedHashMap<>();
        for (String user : testUsers) {
            JsonNode items = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", String.format(Locale.ROOT, """
                {"user": {"id": "%s"}, "k": 10, "num_candidates": 2000, "fusion": {"type": "learned", "window_size": 100}}""", user))
                .path("items");
            List<String> ids = new ArrayList<>();
            items.forEach(item -> ids.add(item.path("id").asText()));
            served.put(user, ids);
        }
        Set<String> cold =
            new HashSet<>(Files.readAllLines(MovieLens.SPLITS.resolve("p5_cold_items.txt")).stream().map(String::trim).toList());
        double overall = TopNMetrics.evaluate(train, test, served, 10, null).get("ndcg@10");
        double warm = TopNMetrics.evaluate(train, test.stream().filter(r -> cold.contains(r.item()) == false).toList(), served, 10, null)
            .get("ndcg@10");
        double coldPart =
            TopNMetrics.evaluate(train, test.stream().filter(r -> cold.contains(r.item())).toList(), served, 10, null).get("ndcg@10");
        System.out.printf(
            Locale.ROOT,
            "P5 through _recommend with fine-tuned new-item factors (reserved 10): NDCG@10 overall %.4f, warm part %.4f, cold part %.4f; %s%n",
            overall,
            warm,
            coldPart,
            trained.path("metrics").path("fusion")
        );
    }
}

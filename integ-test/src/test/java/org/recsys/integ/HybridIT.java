package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.eval.WalsRecommendations;
import org.recsys.core.eval.Weighting;
import org.recsys.core.fusion.CandidateFeatures;
import org.recsys.core.fusion.FusedOrder;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionNet;
import org.recsys.core.fusion.HybridCatalogue;
import org.recsys.core.fusion.HybridFusion;
import org.recsys.core.fusion.LearnedFusion;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol P5 through the node: MovieLens items get MiniLM text vectors at ingest, {@code _train} with
 * {@code projection} and {@code fusion} on P5's training interactions trains WALS, projects the items without
 * interactions and fits the hybrid fusion on a carve-out with pseudo-cold items; {@code _recommend} with the learned
 * fusion takes each user's candidates from both spaces (the knn window and a knn over projected items) and re-ranks
 * them. The ranking must be the offline one ({@code scripts/recsys hybrid}, run here in the test JVM on the node's own
 * text vectors). The network must be served (the carve-out's validation users find it not worse than the WALS order
 * overall and better on the pseudo-cold items) and must change the WALS order; explain gives each feature a share.
 */
@ExtendWith(NodeLogOnFailure.class)
class HybridIT {

    private static final TestNode NODE = TestNode.get();
    private static final String MODEL = "hybrid-it";
    private static final String ITEMS = "hybrid-it-movies";
    private static final String INTERACTIONS = "hybrid-it-interactions";
    private static final String USERS = "hybrid-it-users";
    private static final int RESERVED = 10;
    private static final int WINDOW = 100;

    @BeforeAll
    static void ingest() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        NODE.call("DELETE", "/" + USERS);
        MovieLens.loadItemsWithTextVectors(NODE, ITEMS, "hybrid-it-text");
        MovieLens.loadInteractions(NODE, INTERACTIONS, MovieLens.SPLITS.resolve("p5_train.tsv"));
    }

    @AfterAll
    static void cleanUp() {
        NODE.call("DELETE", "/_recsys/models/" + MODEL);
        for (String index : List.of(ITEMS, INTERACTIONS, USERS)) {
            NODE.call("DELETE", "/" + index);
        }
        NODE.call("DELETE", "/_ingest/pipeline/hybrid-it-text");
    }

    @Test
    @SuppressForbidden(reason = "prints the figures it checks into the test report")
    void p5ThroughRecommendIsTheOfflineHybrid() throws IOException {
        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_train", String.format(Locale.ROOT, """
            {"interactions": {"index": "%s"}, "items": {"index": "%s"}, "users": {"index": "%s"},
             "projection": {"text_field": "text_vector"}, "content": {"text_field": "text_vector"},
             "fusion": {"reserved": %d}, "params": {"threads": 2}}""", INTERACTIONS, ITEMS, USERS, RESERVED));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        JsonNode fusion = trained.path("metrics").path("fusion");
        assertEquals("[\"collaborative\",\"content\",\"popularity\",\"projected\"]", fusion.path("features").toString(), fusion::toString);

        // The offline hybrid on the node's own text vectors, with the same settings.
        Map<String, float[]> texts = new HashMap<>();
        NODE.ok("POST", "/" + ITEMS + "/_search", "{\"size\": 2000, \"_source\": [\"text_vector\"]}")
            .path("hits")
            .path("hits")
            .forEach(hit -> {
                JsonNode v = hit.path("_source").path("text_vector");
                float[] vector = new float[v.size()];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = (float) v.get(d).asDouble();
                }
                texts.put(hit.path("_id").asText(), vector);
            });
        List<Rating> train = InteractionFiles.read(MovieLens.SPLITS.resolve("p5_train.tsv"));
        List<Rating> test = InteractionFiles.read(MovieLens.SPLITS.resolve("p5_test.tsv"));
        InteractionMatrix full = WalsRecommendations.matrix(train, Weighting.BINARY);
        WalsParams wals = WalsParams.builder().threads(2).build();
        HybridFusion.Params d = HybridFusion.Params.defaults();
        HybridFusion.Params params = d.withReserved(RESERVED);
        HybridFusion.Result fit = HybridFusion.carveOut(full, texts, wals, params, Workers.offline()).fit(params, null);
        FusionNet net = fit.chosen();
        assertEquals(fit.offset(), fusion.path("projected_offset").asDouble(), 0, fusion::toString);
        assertTrue(
            fit.servesNetwork(),
            () -> "the offline fit serves the WALS order: gain all " + fit.overallGain() + ", cold " + fit.coldGain()
        );
        assertEquals("network", fusion.path("served").asText(), fusion::toString);
        WalsModel model = new WalsTrainer(wals).train(full);
        HybridCatalogue catalogue = HybridCatalogue.place(model, full.byItem(), texts, params.projection());
        CandidateFeatures candidates = catalogue.candidates(model, full.byUser(), RESERVED);
        LearnedFusion.Params f = params.fusion();

        Map<String, List<String>> offline = new LinkedHashMap<>();
        Map<String, List<String>> node = new LinkedHashMap<>();
        Map<String, List<String>> walsOrder = new LinkedHashMap<>();
        FusionNet wals0 = FusionNet.identity(FusionFeature.COLLABORATIVE);
        int differentScores = 0;
        double largestDifference = 0;
        double largestScore = 0;
        Set<String> testUsers = new HashSet<>();
        test.forEach(r -> testUsers.add(r.user()));
        for (String user : testUsers) {
            CandidateFeatures.Candidates c = candidates.forUser(full.users().indexOf(user), f.window());
            List<String> ids = new ArrayList<>();
            // A known item's value is the one the hybrid's rule handed it to keep the model's order (FusedOrder.values).
            double[] values = FusedOrder.values(net, c.features(), 0, c.items().length);
            List<Double> scores = new ArrayList<>();
            for (int position : FusedOrder.top(net, c.features(), 0, c.items().length, 10)) {
                ids.add(catalogue.items().id(c.items()[position]));
                scores.add(values[position]);
            }
            offline.put(user, ids);
            List<String> byWals = new ArrayList<>();
            for (int position : FusedOrder.top(wals0, c.features(), 0, c.items().length, 10)) {
                byWals.add(catalogue.items().id(c.items()[position]));
            }
            walsOrder.put(user, byWals);
            JsonNode items = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", String.format(Locale.ROOT, """
                {"user": {"id": "%s"}, "k": 10, "num_candidates": 2000, "fusion": {"type": "learned", "window_size": %d}}""", user, WINDOW))
                .path("items");
            List<String> served = new ArrayList<>();
            for (int r = 0; r < items.size(); r++) {
                served.add(items.get(r).path("id").asText());
                // The node computes the features in float (dot products, cosine) and returns the score as a float; the
                // network's first layer scales those roundings by its weights over the features' deviations. The
                // identity network of the WALS order kept 1e-6; a trained one reached 1.7e-6 at scores near 3 (52 of
                // 9,430 beyond 1e-6 in one run), so 1e-5 of the score's size. The ranking itself must be equal.
                if (r < scores.size()) {
                    double difference = Math.abs(items.get(r).path("score").asDouble() - scores.get(r));
                    largestDifference = Math.max(largestDifference, difference);
                    largestScore = Math.max(largestScore, Math.abs(scores.get(r)));
                    if (difference > 1e-5 * Math.max(1, Math.abs(scores.get(r)))) {
                        differentScores++;
                    }
                }
            }
            node.put(user, served);
        }
        assertEquals(offline, node);
        assertEquals(
            0,
            differentScores,
            "fused scores differing from offline by more than 1e-5 of their size (largest difference "
                + largestDifference
                + ", largest score "
                + largestScore
                + ")"
        );
        long reordered = testUsers.stream().filter(u -> node.get(u).equals(walsOrder.get(u)) == false).count();
        assertTrue(reordered > testUsers.size() / 10, "the served network changed the WALS order of only " + reordered + " users");

        Set<String> cold =
            new HashSet<>(Files.readAllLines(MovieLens.SPLITS.resolve("p5_cold_items.txt")).stream().map(String::trim).toList());
        List<Rating> coldPart = test.stream().filter(r -> cold.contains(r.item())).toList();
        List<Rating> warmPart = test.stream().filter(r -> cold.contains(r.item()) == false).toList();
        double overall = TopNMetrics.evaluate(train, test, node, 10, null).get("ndcg@10");
        double warm = TopNMetrics.evaluate(train, warmPart, node, 10, null).get("ndcg@10");
        double coldNdcg = TopNMetrics.evaluate(train, coldPart, node, 10, null).get("ndcg@10");
        System.out.printf(
            Locale.ROOT,
            "P5 through _recommend (hybrid fusion, reserved %d): NDCG@10 overall %.4f, warm part %.4f, cold part %.4f; users reordered %d of %d; largest score %.3f, largest difference from offline %.2e; %s%n",
            RESERVED,
            overall,
            warm,
            coldNdcg,
            reordered,
            testUsers.size(),
            largestScore,
            largestDifference,
            fusion
        );
        // P5's bars (overall > 0.4232, cold part > 0.0652) are figures of hybrid.md, not asserted: offline, no seed of
        // the carve-out meets both (see its table).

        // explain names each feature's share.
        JsonNode explained = NODE.ok(
            "POST",
            "/_recsys/models/" + MODEL + "/_recommend",
            "{\"user\": {\"id\": \"1\"}, \"k\": 10, \"explain\": true, \"fusion\": {\"type\": \"learned\"}}"
        );
        String explanation = explained.path("items").get(0).path("explanation").asText();
        // Known items keep the model's order: the value a known item was handed is explained as such.
        boolean kept = false;
        for (JsonNode item : explained.path("items")) {
            kept |= item.path("explanation").asText().contains("known item kept in the model's order");
        }
        assertTrue(kept, explained::toString);
        // The served network reads every feature: each has a share (the WALS order's identity network gives the
        // others none).
        for (String feature : List.of("collaborative", "content", "popularity", "projected")) {
            java.util.regex.Matcher share =
                java.util.regex.Pattern.compile("(-?[0-9.E-]+) = contribution of \\[" + feature + "\\]").matcher(explanation);
            assertTrue(share.find(), explanation);
            if (feature.equals("projected") == false) {
                assertTrue(Double.parseDouble(share.group(1)) != 0, feature + " has no share: " + explanation);
            }
        }

        projectedItemsHaveAFieldOfTheirOwn(trained.path("metrics").path("projection"));
        String first = testUsers.stream().sorted().findFirst().orElseThrow();
        anItemTakenSinceTheTrainingIsLeftOut(first, node.get(first));
    }

    /**
     * {@code _recommend} reads the user's items from the interactions as they are now: an item taken since the
     * training is left out, and once it is gone the answer is the trained one again.
     */
    private static void anItemTakenSinceTheTrainingIsLeftOut(String user, List<String> recommended) {
        String body = String.format(Locale.ROOT, """
            {"user": {"id": "%s"}, "k": 10, "num_candidates": 2000, "fusion": {"type": "learned", "window_size": %d}}""", user, WINDOW);
        int seen = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", body).path("user").path("seen_items").asInt();
        String taken = recommended.get(0);
        NODE.ok("PUT", "/" + INTERACTIONS + "/_doc/taken-since?refresh=true", String.format(Locale.ROOT, """
            {"user_id": "%s", "item_id": "%s", "rating": 5, "timestamp": 893286638}""", user, taken));
        JsonNode since = NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", body);
        assertEquals(seen + 1, since.path("user").path("seen_items").asInt(), since::toString);
        List<String> ids = new ArrayList<>();
        since.path("items").forEach(i -> ids.add(i.path("id").asText()));
        assertEquals(10, ids.size(), since::toString);
        assertFalse(ids.contains(taken), () -> "item [" + taken + "], taken since the training, is recommended: " + ids);
        NODE.ok("DELETE", "/" + INTERACTIONS + "/_doc/taken-since?refresh=true");
        List<String> again = new ArrayList<>();
        NODE.ok("POST", "/_recsys/models/" + MODEL + "/_recommend", body).path("items").forEach(i -> again.add(i.path("id").asText()));
        assertEquals(recommended, again);
    }

    /**
     * The reserved items' knn searches a field that only projected items have (no filter): the training writes each
     * projected factor there as well, no trained item has one, and an item projected at ingest gets it too.
     */
    private static void projectedItemsHaveAFieldOfTheirOwn(JsonNode projection) {
        String field = projection.path("projected_field").asText();
        assertTrue(field.endsWith("_projected"), projection::toString);
        String factor = field.substring(0, field.length() - "_projected".length());
        assertEquals(projection.path("items_projected").asLong(), count("{\"exists\": {\"field\": \"" + field + "\"}}"));
        assertEquals(
            0,
            count(
                "{\"bool\": {\"filter\": [{\"exists\": {\"field\": \""
                    + field
                    + "\"}}, {\"term\": {\""
                    + factor
                    + "_source\": \"trained\"}}]}}"
            )
        );
        JsonNode projected = NODE.ok(
            "POST",
            "/" + ITEMS + "/_search",
            "{\"size\": 1, \"query\": {\"exists\": {\"field\": \"" + field + "\"}}, \"_source\": [\"" + factor + "\", \"" + field + "\"]}"
        ).path("hits").path("hits").get(0).path("_source");
        assertEquals(projected.path(factor), projected.path(field));

        JsonNode text = NODE.ok("GET", "/" + ITEMS + "/_doc/1").path("_source").path("text_vector");
        JsonNode simulated = NODE.ok(
            "POST",
            "/_ingest/pipeline/_simulate",
            "{\"pipeline\": {\"processors\": [{\"wals_projection\": {\"model\": \""
                + MODEL
                + "\"}}]}, \"docs\": [{\"_source\": {\"text_vector\": "
                + text
                + "}}]}"
        ).path("docs").get(0).path("doc").path("_source");
        assertEquals("projected", simulated.path(factor + "_source").asText(), simulated::toString);
        assertEquals(simulated.path(factor), simulated.path(field), simulated::toString);
    }

    private static long count(String query) {
        return NODE.ok("POST", "/" + ITEMS + "/_count", "{\"query\": " + query + "}").path("count").asLong();
    }
}

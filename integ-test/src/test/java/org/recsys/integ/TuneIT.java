package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recsys.core.data.TimedInteractions;
import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.Weighting;
import org.recsys.core.tuning.CarveOuts;
import org.recsys.core.tuning.SearchSpace;
import org.recsys.core.tuning.TuneSettings;
import org.recsys.core.tuning.WalsSearch;
import org.recsys.core.util.SuppressForbidden;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.Confidence;
import org.recsys.core.wals.FoldIn;
import org.recsys.core.wals.WalsParams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code _train} with {@code tune} on P1's training interactions: the node makes the choice the offline search makes
 * on the same data and seed, records every trial in the version, is evaluated on P1's test file; a version that weighs
 * users folds a history in as training weighed users (the offline fold-in's scores); a cancelled search leaves the
 * served version as it was; bad search settings are 400s naming the field.
 */
@ExtendWith(NodeLogOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TuneIT {

    private static final TestNode NODE = TestNode.get();
    private static final String TRAIN = "tune-it-interactions";
    private static final String TEST = "tune-it-held-out";
    private static final String ITEMS = "tune-it-movies";
    private static final String USERS = "tune-it-users";
    private static final String MODEL = "tune-it";
    private static final String RATED = "tune-it-rated";

    @BeforeAll
    static void load() {
        for (String model : List.of(MODEL, RATED)) {
            NODE.call("DELETE", "/_recsys/models/" + model);
        }
        NODE.call("DELETE", "/" + USERS);
        NODE.call("DELETE", "/" + USERS + "-rated");
        assertEquals(74_992, MovieLens.loadInteractions(NODE, TRAIN, MovieLens.SPLITS.resolve("p1_train.tsv")));
        assertEquals(25_008, MovieLens.loadInteractions(NODE, TEST, MovieLens.SPLITS.resolve("p1_test.tsv")));
        assertEquals(1_682, MovieLens.loadItems(NODE, ITEMS));
    }

    @AfterAll
    static void cleanUp() {
        for (String model : List.of(MODEL, RATED)) {
            NODE.call("DELETE", "/_recsys/models/" + model);
        }
        for (String index : List.of(TRAIN, TEST, ITEMS, USERS, USERS + "-rated")) {
            NODE.call("DELETE", "/" + index);
        }
    }

    private static String body(String weightField, String users) {
        return String.format(
            Locale.ROOT,
            """
                {"interactions": {"index": "%s"%s}, "items": {"index": "%s"}, "users": {"index": "%s"},
                 "params": {"threads": 2}, "tune": {}}""",
            TRAIN,
            weightField == null ? "" : ", \"weight_field\": \"" + weightField + "\"",
            ITEMS,
            users
        );
    }

    @Test
    @Order(1)
    void binaryWeightsChooseAsOfflineAndAreEvaluatedOnTheTestFile() {
        tuneAndCompare(MODEL, null, USERS, Weighting.BINARY);
    }

    @Test
    @Order(2)
    void ratingWeightsChooseAsOfflineAndAreEvaluatedOnTheTestFile() {
        tuneAndCompare(RATED, "rating", USERS + "-rated", Weighting.RATING);
    }

    @SuppressForbidden(reason = "prints the figure it checks into the test report")
    private static void tuneAndCompare(String model, String weightField, String users, Weighting weighting) {
        JsonNode trained = NODE.ok("POST", "/_recsys/models/" + model + "/_train", body(weightField, users));
        assertEquals("complete", trained.path("status").asText(), trained::toString);
        JsonNode tune = trained.path("metrics").path("tune");
        JsonNode trials = tune.path("trials");
        assertTrue(trials.size() <= TuneSettings.DEFAULT_TRIALS, tune::toString);
        for (JsonNode t : trials) {
            assertTrue(
                t.path("values").has("user_weight_exponent")
                    && t.path("values").has("user_lambda_exponent")
                    && t.has("ndcg@10")
                    && t.has("seconds"),
                t::toString
            );
        }
        assertEquals("random", tune.path("validation").asText());
        assertEquals("trials", tune.path("stopped_by").asText());

        // The offline search on the same rows, seed and threads makes the same choice.
        List<Rating> rows = InteractionFiles.read(MovieLens.SPLITS.resolve("p1_train.tsv"));
        TimedInteractions timed = new TimedInteractions();
        rows.forEach(r -> timed.add(r.user(), r.item(), weighting.weight(r), 0));
        TuneSettings settings = TuneSettings.defaults();
        CarveOuts carveOuts = new CarveOuts(timed.build().matrix(), null, settings.validationShare(), settings.seed());
        WalsSearch.Result offline =
            WalsSearch.run(carveOuts, WalsParams.builder().threads(2).build(), SearchSpace.defaults(Set.of()), settings, (t, p) -> {
            }, Workers.offline());
        JsonNode chosen = tune.path("chosen");
        assertEquals(offline.trials().size(), trials.size(), tune::toString);
        // The finalists were re-scored on the two other random carve-outs.
        for (int carveOut = 1; carveOut < CarveOuts.RANDOM; carveOut++) {
            int c = carveOut;
            assertTrue(
                java.util.stream.StreamSupport.stream(trials.spliterator(), false).anyMatch(t -> t.path("carve_out").asInt() == c),
                tune::toString
            );
        }
        assertEquals(offline.chosenValues().get("rank"), chosen.path("rank").asInt(), tune::toString);
        assertEquals(((Number) offline.chosenValues().get("alpha")).doubleValue(), chosen.path("alpha").asDouble(), 1e-3, tune::toString);
        assertEquals(
            ((Number) offline.chosenValues().get("user_weight_exponent")).doubleValue(),
            chosen.path("user_weight_exponent").asDouble(),
            1e-6,
            tune::toString
        );
        assertEquals(
            ((Number) offline.chosenValues().get("user_lambda_exponent")).doubleValue(),
            chosen.path("user_lambda_exponent").asDouble(),
            1e-6,
            tune::toString
        );
        assertEquals(((Number) offline.chosenValues().get("lambda")).doubleValue(), chosen.path("lambda").asDouble(), 1e-3, tune::toString);
        assertEquals(offline.chosenValues().get("confidence"), chosen.path("confidence").asText(), tune::toString);
        assertEquals(offline.chosenMetric(), tune.path("chosen_ndcg@10").asDouble(), 1e-4, tune::toString);

        JsonNode version = NODE.ok("GET", "/_recsys/models/" + model).path("models").get(0).path("versions").get(0);
        assertEquals(tune, version.path("metrics").path("tune"));
        assertEquals(
            chosen.path("rank").asInt(),
            NODE.ok("GET", "/" + ITEMS + "/_doc/50").path("_source").path(model + "_factor_a").size()
        );

        JsonNode evaluated =
            NODE.ok("POST", "/_recsys/models/" + model + "/_evaluate", "{\"interactions\": {\"index\": \"" + TEST + "\"}}");
        double ndcg = evaluated.path("metrics").path("ndcg@10").asDouble();
        System.out.printf(
            Locale.ROOT,
            "P1 through _train with tune (%s weights): NDCG@10 %.4f on p1_test, chosen %s, validation %.4f, %d trials in %.1f s (train %s)%n",
            weighting.id(),
            ndcg,
            chosen,
            tune.path("chosen_ndcg@10").asDouble(),
            trials.size(),
            tune.path("seconds").asDouble(),
            trained.path("metrics").path("seconds")
        );
        assertTrue(ndcg >= 0.46, () -> "NDCG@10 " + ndcg + " is far below the EASE reference of P1 (0.4762)");
    }

    @Test
    @Order(3)
    void aUserRegularisedVersionFoldsInAHistoryAsTrainingRegularisedUsers() {
        JsonNode version = NODE.ok("GET", "/_recsys/models/" + RATED).path("models").get(0).path("versions").get(0);
        JsonNode chosen = version.path("metrics").path("tune").path("chosen");
        float beta = (float) chosen.path("user_weight_exponent").asDouble();
        float eta = (float) chosen.path("user_lambda_exponent").asDouble();
        assertTrue(eta > 0, () -> "P1 with rating weights chooses users' λ scaled by their items (docs/benchmarks.md): " + chosen);
        WalsParams params = WalsParams.defaults()
            .toBuilder()
            .rank(chosen.path("rank").asInt())
            .build()
            .toBuilder()
            .lambda((float) chosen.path("lambda").asDouble())
            .build()
            .toBuilder()
            .alpha((float) chosen.path("alpha").asDouble())
            .build()
            .toBuilder()
            .confidence(Confidence.fromId(chosen.path("confidence").asText()))
            .build()
            .toBuilder()
            .epsilon((float) chosen.path("epsilon").asDouble())
            .build()
            .toBuilder()
            .userWeightExponent(beta)
            .build()
            .toBuilder()
            .userLambdaExponent(eta)
            .build();
        int k = params.rank();

        // The scales training gave the user weights and the users' λ: their means over the training users are 1 and λ.
        Map<String, Set<String>> itemsByUser = new HashMap<>();
        InteractionFiles.read(MovieLens.SPLITS.resolve("p1_train.tsv"))
            .forEach(r -> itemsByUser.computeIfAbsent(r.user(), u -> new HashSet<>()).add(r.item()));
        double weights = 0;
        double lambdas = 0;
        for (Set<String> items : itemsByUser.values()) {
            weights += Math.pow(items.size(), -beta);
            lambdas += Math.pow(items.size(), eta);
        }
        float weightScale = (float) (itemsByUser.size() / weights);
        float lambdaScale = (float) (itemsByUser.size() / lambdas);

        // The served item factors, folded in against offline.
        String field = RATED + "_factor_a";
        JsonNode hits =
            NODE.ok("POST", "/" + ITEMS + "/_search", "{\"size\": 2000, \"_source\": [\"" + field + "\"]}").path("hits").path("hits");
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (JsonNode hit : hits) {
            JsonNode v = hit.path("_source").path(field);
            if (v.size() == k) {
                float[] row = new float[k];
                for (int j = 0; j < k; j++) {
                    row[j] = (float) v.get(j).asDouble();
                }
                ids.add(hit.path("_id").asText());
                rows.add(row);
            }
        }
        int n = ids.size();
        float[] factors = new float[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, factors, i * k, k);
        }
        String[] history = { "50", "172", "181", "1", "121" };
        float[] ratings = { 5, 5, 4, 3, 2 };
        int[] indices = new int[history.length];
        for (int h = 0; h < history.length; h++) {
            indices[h] = ids.indexOf(history[h]);
        }
        float[] x = new FoldIn(factors, n, FoldIn.gram(factors, n, k), params, null, weightScale, lambdaScale)
            .solve(indices, ratings, history.length);
        List<Map.Entry<String, Double>> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (List.of(history).contains(ids.get(i)) == false) {
                double score = 0;
                for (int j = 0; j < k; j++) {
                    score += (double) x[j] * factors[i * k + j];
                }
                expected.add(Map.entry(ids.get(i), score));
            }
        }
        expected.sort(Map.Entry.<String, Double>comparingByValue().reversed());

        StringBuilder body = new StringBuilder("{\"user\": {\"history\": [");
        for (int h = 0; h < history.length; h++) {
            body.append(h == 0 ? "" : ", ")
                .append("{\"item\": \"")
                .append(history[h])
                .append("\", \"weight\": ")
                .append(ratings[h])
                .append('}');
        }
        body.append("]}, \"k\": 10, \"num_candidates\": 2000}");
        JsonNode items = NODE.ok("POST", "/_recsys/models/" + RATED + "/_recommend", body.toString()).path("items");
        assertEquals(10, items.size(), items::toString);
        for (int r = 0; r < 10; r++) {
            double want = expected.get(r).getValue();
            assertEquals(expected.get(r).getKey(), items.get(r).path("id").asText(), items::toString);
            assertEquals(want, items.get(r).path("score").asDouble(), 1e-3 * Math.max(1, Math.abs(want)), items::toString);
        }
    }

    @Test
    @Order(4)
    void aCancelledSearchLeavesTheServedVersion() throws InterruptedException {
        JsonNode before = NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0).path("served");
        String factorBefore = NODE.ok("GET", "/" + ITEMS + "/_doc/50").path("_source").path(MODEL + "_factor_a").toString();
        JsonNode started = NODE.ok(
            "POST",
            "/_recsys/models/" + MODEL + "/_train?wait_for_completion=false",
            body(null, USERS).replace("\"tune\": {}", "\"tune\": {\"trials\": 500}")
        );
        String task = started.path("task").asText();
        // At least three trials done (a poll may miss the moment the third ends): "tuning: trial N of at most M done, ...".
        TrainIT.waitFor(
            () -> trialsDone(NODE.ok("GET", "/_tasks/" + task).path("task").path("status").path("phase").asText()) >= 3,
            "three trials"
        );
        NODE.ok("POST", "/_tasks/" + task + "/_cancel");
        TrainIT.waitFor(() -> NODE.ok("GET", "/_tasks/" + task).path("completed").asBoolean(), "the cancelled task to end");
        assertEquals("task_cancelled_exception", NODE.ok("GET", "/_tasks/" + task).path("error").path("type").asText());

        JsonNode model = NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0);
        assertEquals(before, model.path("served"), model::toString);
        assertEquals("cancelled", model.path("versions").get(0).path("status").asText(), model::toString);
        assertFalse(model.has("training"), model::toString);
        assertEquals(factorBefore, NODE.ok("GET", "/" + ITEMS + "/_doc/50").path("_source").path(MODEL + "_factor_a").toString());
    }

    @Test
    @Order(5)
    void badSearchSettingsAreRefusedNamingTheField() {
        String sources = "\"interactions\": {\"index\": \""
            + TRAIN
            + "\"}, \"items\": {\"index\": \""
            + ITEMS
            + "\"}, \"users\": {\"index\": \""
            + USERS
            + "\"}";
        expect(
            "{" + sources + ", \"tune\": {\"space\": {\"rnak\": [8, 16]}}}",
            "[tune.space.rnak] is not a parameter that can be searched"
        );
        expect("{" + sources + ", \"tune\": {\"space\": {\"lambda\": [100, 1]}}}", "[tune.space.lambda] is the empty range");
        expect("{" + sources + ", \"tune\": {\"space\": {\"confidence\": []}}}", "[tune.space.confidence]");
        expect("{" + sources + ", \"tune\": {\"trials\": 0}}", "[tune.trials] is [0]");
        expect("{" + sources + ", \"tune\": {\"max_seconds\": 0}}", "[tune.max_seconds] is [0.0]");
        expect("{" + sources + ", \"tune\": {\"validation_share\": 0.75}}", "[tune.validation_share] is [0.75]");
        expect("{" + sources + ", \"tune\": {\"validation_share\": 0}}", "[tune.validation_share] is [0.0]");
        expect(
            "{" + sources + ", \"params\": {\"alpha\": 2}, \"tune\": {\"space\": {\"alpha\": [1, 10]}}}",
            "[tune.space.alpha] is searched but [params.alpha] fixes it"
        );
        expect(
            "{" + sources + ", \"tune\": {\"space\": {\"user_weight_exponent\": [0, 2]}}}",
            "[tune.space.user_weight_exponent] is [0.0, 2.0]"
        );
        expect(
            "{" + sources + ", \"params\": {\"user_weight_exponent\": 2}}",
            "[user_weight_exponent] is [2.0]; it must be between 0 and 1"
        );
        expect(
            "{" + sources + ", \"tune\": {\"space\": {\"user_lambda_exponent\": [-1, 0.5]}}}",
            "[tune.space.user_lambda_exponent] is [-1.0, 0.5]"
        );
        expect(
            "{" + sources + ", \"params\": {\"user_lambda_exponent\": 2}}",
            "[user_lambda_exponent] is [2.0]; it must be between 0 and 1"
        );
        JsonNode model = NODE.ok("GET", "/_recsys/models/" + MODEL).path("models").get(0);
        assertEquals(1, model.path("served").path("version").asInt(), model::toString);
    }

    private static int trialsDone(String phase) {
        Matcher m = TRIAL.matcher(phase);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static final Pattern TRIAL = Pattern.compile("^tuning: trial (\\d+) ");

    private static void expect(String body, String message) {
        TestNode.Reply reply = NODE.call("POST", "/_recsys/models/" + MODEL + "/_train", body);
        assertEquals(400, reply.status(), () -> body + " answered " + reply.text());
        assertTrue(reply.text().contains(message), () -> body + " answered " + reply.text() + ", which does not say " + message);
    }
}

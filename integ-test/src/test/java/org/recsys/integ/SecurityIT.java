package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin on a node with security on ({@link SecuredNode}): each documented role (over the suite's own {@code sec-*}
 * indices) does its job and gets a 403 naming what it lacks for the rest; a refused or bad training changes no mapping,
 * document or model; the model store answers no user; document- and field-level security hold in {@code _recommend};
 * requests that once brought a node down get a clear answer.
 */
@ExtendWith(NodeLogOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    private static final String TRAIN = """
        {
          "interactions": { "index": "sec-interactions", "user_field": "user_id", "item_field": "item_id" },
          "items": { "index": "sec-items", "vector_field": "factor" },
          "users": { "index": "sec-users", "vector_field": "factor" },
          "params": { %s }
        }
        """;
    private static final String GOOD_PARAMS = "\"rank\": 4, \"iterations\": 5, \"threads\": 1";
    /** Items on the closed shelf, which test_dls_recommend's query hides. */
    private static final Set<String> CLOSED = Set.of("i2", "i5", "i8", "i11");

    private static TestNode admin;

    @BeforeAll
    static void shop() {
        admin = SecuredNode.superuser();
        for (String index : List.of("sec-items", "sec-users", "sec-interactions")) {
            admin.call("DELETE", "/" + index);
        }
        admin.call("DELETE", "/_recsys/models/sec");
        admin.ok(
            "PUT",
            "/sec-interactions",
            """
                { "mappings": { "properties": { "user_id": { "type": "keyword" }, "item_id": { "type": "keyword" }, "weight": { "type": "float" } } } }
                """
        );
        admin.ok("PUT", "/sec-items", """
            { "mappings": { "properties": { "name": { "type": "text" }, "shelf": { "type": "keyword" }, "cost": { "type": "long" } } } }
            """);
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            String shelf = CLOSED.contains("i" + i) ? "closed" : "open";
            items.append("{\"index\":{\"_id\":\"i").append(i).append("\"}}\n");
            items.append("{\"name\":\"item ")
                .append(i)
                .append("\",\"shelf\":\"")
                .append(shelf)
                .append("\",\"cost\":")
                .append(10 * i)
                .append("}\n");
        }
        admin.ok("POST", "/sec-items/_bulk?refresh=true", items.toString());
        StringBuilder reads = new StringBuilder();
        for (int u = 0; u < 8; u++) {
            for (int j = 0; j < 4; j++) {
                reads.append("{\"index\":{}}\n{\"user_id\":\"u")
                    .append(u)
                    .append("\",\"item_id\":\"i")
                    .append((u + 3 * j) % 12)
                    .append("\"}\n");
            }
        }
        admin.ok("POST", "/sec-interactions/_bulk?refresh=true", reads.toString());
    }

    @Test
    @Order(1)
    void refusedAndBadTrainingsChangeNothing() {
        JsonNode mappingBefore = admin.ok("GET", "/sec-items/_mapping");
        // Roles without the training's privileges: 403 naming what is missing, before anything changes.
        assertForbidden(
            SecuredNode.as("sec_recommender").call("POST", "/_recsys/models/sec/_train", train(GOOD_PARAMS)),
            "cluster:admin/recsys/model/train"
        );
        assertForbidden(SecuredNode.as("train_no_read").call("POST", "/_recsys/models/sec/_train", train(GOOD_PARAMS)), "sec-interactions");
        assertForbidden(SecuredNode.as("train_no_write").call("POST", "/_recsys/models/sec/_train", train(GOOD_PARAMS)), "sec-items");
        // Requests that once took a node down, and a body with a second object.
        TestNode trainer = SecuredNode.as("sec_trainer");
        assertStatus(
            400,
            trainer.call("POST", "/_recsys/models/sec/_train", train("\"threads\": 1000000")),
            "[params.threads] is [1000000]; it must be at most"
        );
        assertStatus(
            400,
            trainer.call("POST", "/_recsys/models/sec/_train", train("\"iterations\": 1000000000")),
            "[iterations] is [1000000000]"
        );
        assertStatus(
            429,
            trainer.call("POST", "/_recsys/models/sec/_train", train("\"rank\": 4096")),
            "[recsys] Data too large, data for [training of model [sec]]"
        );
        assertStatus(
            400,
            trainer.call("POST", "/_recsys/models/sec/_train", train(GOOD_PARAMS) + "{\"extra\": 1}"),
            "content after its JSON object"
        );

        assertEquals(mappingBefore, admin.ok("GET", "/sec-items/_mapping"), "a refused training changed the item mapping");
        assertEquals(404, admin.call("GET", "/sec-users").status(), "a refused training created the user index");
        assertEquals(404, admin.call("GET", "/_recsys/models/sec").status(), "a refused training left a model");
        assertEquals(
            0,
            admin.ok("GET", "/sec-items/_count", "{\"query\": {\"exists\": {\"field\": \"factor_a\"}}}").path("count").asLong()
        );
        assertEquals(200, admin.call("GET", "/_cluster/health").status(), "the node is down");

        // Past its checks, a training whose data turns out unusable (no interaction has a weight) fails before it
        // adds a field or writes a document; only its failed version is recorded.
        String noWeights =
            train(GOOD_PARAMS).replace("\"item_field\": \"item_id\"", "\"item_field\": \"item_id\", \"weight_field\": \"weight\"");
        assertStatus(400, trainer.call("POST", "/_recsys/models/sec/_train", noWeights), "none has a user, an item and a valid weight");
        assertEquals(mappingBefore, admin.ok("GET", "/sec-items/_mapping"), "a failed training changed the item mapping");
        assertEquals(404, admin.call("GET", "/sec-users").status(), "a failed training created the user index");
        assertEquals(
            "failed",
            trainer.ok("GET", "/_recsys/models/sec").path("models").get(0).path("versions").get(0).path("status").asText()
        );
    }

    @Test
    @Order(2)
    void theDocumentedTrainingRoleTrainsAndAConcurrentTrainingIsAConflict() {
        TestNode trainer = SecuredNode.as("sec_trainer");
        JsonNode trained = trainer.ok("POST", "/_recsys/models/sec/_train", train(GOOD_PARAMS));
        assertEquals("complete", trained.path("status").asText(), trained.toString());
        int version = trained.path("version").asInt();

        TestNode.Reply started = trainer.call("POST", "/_recsys/models/sec/_train?wait_for_completion=false", train(GOOD_PARAMS));
        assertEquals(200, started.status(), started.text());
        TestNode.Reply second = trainer.call("POST", "/_recsys/models/sec/_train?wait_for_completion=false", train(GOOD_PARAMS));
        assertStatus(409, second, "is already being trained");
        admin.ok("GET", "/_tasks/" + started.body().path("task").asText() + "?wait_for_completion=true&timeout=120s");
        assertEquals(version + 1, trainer.ok("GET", "/_recsys/models/sec").path("models").get(0).path("served").path("version").asInt());

        assertTrue(trainer.ok("GET", "/_cat/recsys/models?v").asText().contains("sec"));
        JsonNode evaluation = trainer.ok("POST", "/_recsys/models/sec/_evaluate", "{\"interactions\": {\"index\": \"sec-interactions\"}}");
        assertEquals(32, evaluation.path("held_out_interactions").asInt());
        assertForbidden(SecuredNode.as("sec_recommender").call("GET", "/_recsys/models/sec"), "cluster:monitor/recsys/model/get");
    }

    @Test
    @Order(3)
    void theDocumentedRecommendRoleServesAndOthersAreRefused() {
        TestNode recommender = SecuredNode.as("sec_recommender");
        assertEquals(
            3,
            recommender.ok("POST", "/_recsys/models/sec/_recommend", "{\"user\": {\"id\": \"u1\"}, \"k\": 3}").path("items").size()
        );
        assertEquals(
            3,
            recommender.ok("POST", "/_recsys/models/sec/_recommend", "{\"user\": {\"history\": [{\"item\": \"i1\"}]}, \"k\": 3}")
                .path("items")
                .size()
        );
        JsonNode fused = recommender.ok(
            "POST",
            "/_recsys/models/sec/_recommend",
            "{\"user\": {\"id\": \"u1\"}, \"k\": 3, \"fusion\": {\"weights\": [1.0, 0.0, 0.0, 0.0], \"window_size\": 6}}"
        );
        assertEquals(3, fused.path("items").size());
        assertEquals(4, recommender.ok("POST", "/_recsys/models/sec/_user", "{\"user\": {\"id\": \"u1\"}}").path("vector").size());
        assertEquals(200, recommender.call("GET", "/sec-items/_search", knnOf("u1")).status());

        assertForbidden(
            SecuredNode.as("items_reader").call("POST", "/_recsys/models/sec/_recommend", "{\"user\": {\"id\": \"u1\"}}"),
            "cluster:monitor/recsys/serve/recommend"
        );
        assertForbidden(SecuredNode.as("items_reader").call("GET", "/sec-items/_search", knnOf("u1")), "cluster:monitor/recsys/serve/user");
        TestNode noItems = SecuredNode.as("serve_no_items");
        assertForbidden(noItems.call("POST", "/_recsys/models/sec/_recommend", "{\"user\": {\"id\": \"u1\"}}"), "sec-items");
        assertForbidden(noItems.call("POST", "/_recsys/models/sec/_user", "{\"user\": {\"id\": \"u1\"}}"), "sec-items");
        assertForbidden(noItems.call("POST", "/_recsys/models/sec/_user", "{\"user\": {\"history\": [{\"item\": \"i1\"}]}}"), "sec-items");
        assertForbidden(
            noItems.call("POST", "/_recsys/models/sec/_recommend", "{\"user\": {\"history\": [{\"item\": \"i1\"}]}}"),
            "sec-items"
        );
    }

    @Test
    @Order(4)
    void documentLevelSecurityHidesItemsFromRecommendations() {
        Set<String> seenAll = new HashSet<>();
        for (int u = 0; u < 8; u++) {
            JsonNode all = SecuredNode.as("sec_recommender")
                .ok("POST", "/_recsys/models/sec/_recommend", "{\"user\": {\"id\": \"u" + u + "\"}, \"k\": 12}");
            JsonNode hidden = SecuredNode.as("dls_recommender")
                .ok("POST", "/_recsys/models/sec/_recommend", "{\"user\": {\"id\": \"u" + u + "\"}, \"k\": 12}");
            all.path("items").forEach(item -> seenAll.add(item.path("id").asText()));
            for (JsonNode item : hidden.path("items")) {
                assertFalse(CLOSED.contains(item.path("id").asText()), "u" + u + " was recommended closed item " + item);
            }
        }
        assertTrue(seenAll.stream().anyMatch(CLOSED::contains), "without the role's query, closed items are recommended: " + seenAll);
    }

    @Test
    @Order(5)
    void fieldLevelSecurityHidesFieldsFromRecommendations() {
        String request = "{\"user\": {\"id\": \"u1\"}, \"k\": 3, \"fields\": [\"name\", \"cost\"]}";
        for (JsonNode item : SecuredNode.as("sec_recommender").ok("POST", "/_recsys/models/sec/_recommend", request).path("items")) {
            assertTrue(item.path("fields").has("cost"), item.toString());
        }
        for (JsonNode item : SecuredNode.as("fls_recommender").ok("POST", "/_recsys/models/sec/_recommend", request).path("items")) {
            assertTrue(item.path("fields").has("name"), item.toString());
            assertFalse(item.path("fields").has("cost"), "field-level security hides cost: " + item);
        }
    }

    @Test
    @Order(6)
    void noUserReadsOrWritesTheModelStore() {
        TestNode everything = SecuredNode.as("everything");
        assertForbidden(everything.call("GET", "/.recsys-models/_search"), ".recsys-models");
        assertForbidden(everything.call("PUT", "/.recsys-models/_doc/model-sec", "{\"doc_type\": \"model\"}"), ".recsys-models");
        assertForbidden(everything.call("DELETE", "/.recsys-models"), ".recsys-models");
        // The superuser may read system indices, never write them.
        assertForbidden(admin.call("PUT", "/.recsys-models/_doc/model-sec", "{\"doc_type\": \"model\"}"), ".recsys-models");
        assertForbidden(admin.call("DELETE", "/.recsys-models"), ".recsys-models");
        // ... while the plugin still reads it on the users' behalf.
        assertEquals(200, SecuredNode.as("sec_trainer").call("GET", "/_recsys/models/sec").status());
    }

    @Test
    @Order(7)
    void theDocumentedEncoderRoleRegistersAnEncoderAndIngestsThroughIt() {
        TestNode admin = SecuredNode.as("sec_encoder_admin");
        assertForbidden(
            SecuredNode.as("sec_recommender").call("PUT", "/_recsys/encoders/sec-tiny", "{\"path\": \"tiny-bert\"}"),
            "cluster:admin/recsys/encoder/put"
        );
        admin.ok("PUT", "/_recsys/encoders/sec-tiny", "{\"path\": \"tiny-bert\", \"pooling\": \"mean\", \"max_seq_length\": 32}");
        assertTrue(admin.ok("GET", "/_recsys/encoders/sec-tiny").path("encoders").has("sec-tiny"));
        admin.ok("GET", "/_recsys/encoders/_stats");
        assertForbidden(SecuredNode.as("sec_trainer").call("GET", "/_recsys/encoders/sec-tiny"), "cluster:monitor/recsys/encoder/get");
        admin.ok("PUT", "/_ingest/pipeline/sec-items", """
            { "processors": [ { "text_vector": { "fields": ["name"], "target_field": "text", "encoder": "sec-tiny" } } ] }
            """);
        admin.ok(
            "POST",
            "/sec-items/_bulk?refresh=true&pipeline=sec-items",
            "{\"index\":{\"_id\":\"i12\"}}\n{\"name\":\"a new arrival\",\"shelf\":\"open\"}\n"
        );
        assertTrue(admin.ok("GET", "/sec-items/_doc/i12").path("_source").path("text").size() > 0);
        admin.ok("DELETE", "/_ingest/pipeline/sec-items");
        admin.ok("DELETE", "/_recsys/encoders/sec-tiny");
    }

    @Test
    @Order(8)
    void theTrainingRoleDeletesItsModel() {
        assertForbidden(SecuredNode.as("sec_recommender").call("DELETE", "/_recsys/models/sec"), "cluster:admin/recsys/model/delete");
        SecuredNode.as("sec_trainer").ok("DELETE", "/_recsys/models/sec");
        assertEquals(404, admin.call("GET", "/_recsys/models/sec").status());
    }

    /** docs/security.md shows every role twice; the PUT _security/role bodies (not run here) must equal the roles.yml entries. */
    @Test
    void theDocumentedApiRolesEqualTheRolesYmlEntries() throws Exception {
        Map<String, Object> yaml = SecuredNode.documentedRoles();
        List<ConsoleBlocks.Request> puts = ConsoleBlocks.parse(Path.of(System.getProperty("tests.docs.dir")).resolve("security.md"))
            .stream()
            .filter(r -> r.path().startsWith("/_security/role/"))
            .toList();
        assertEquals(yaml.keySet(), new HashSet<>(puts.stream().map(r -> r.path().substring("/_security/role/".length())).toList()));
        for (ConsoleBlocks.Request put : puts) {
            String name = put.path().substring("/_security/role/".length());
            assertFalse(put.run(), put + " cannot run on the test distribution and must say so");
            assertEquals(TestNode.JSON.valueToTree(yaml.get(name)), TestNode.JSON.readTree(put.body()), put.toString());
        }
    }

    private static String train(String params) {
        return String.format(Locale.ROOT, TRAIN, params);
    }

    /** A knn search of the served item field with the user's vector from the model. */
    private static String knnOf(String user) {
        String field = admin.ok("GET", "/_recsys/models/sec").path("models").get(0).path("served").path("item_field").asText();
        return String.format(Locale.ROOT, """
            { "knn": { "field": "%s", "k": 3, "num_candidates": 12,
              "query_vector_builder": { "recsys_user": { "model": "sec", "user": { "id": "%s" } } } } }
            """, field, user);
    }

    private static void assertForbidden(TestNode.Reply reply, String names) {
        assertStatus(403, reply, names);
    }

    private static void assertStatus(int status, TestNode.Reply reply, String mentions) {
        assertEquals(status, reply.status(), reply.text());
        assertTrue(reply.text().contains(mentions), "expected the answer to mention [" + mentions + "]: " + reply.text());
    }
}

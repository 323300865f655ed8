package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The node with security on that the build started ({@code tests.secure.node.env}), and its roles. The build made
 * the users (one password, {@code tests.secure.password}); the roles are written here into the node's
 * {@code roles.yml}, which the file realm reloads: the roles of {@code docs/security.md} as documented, the same
 * roles over the suite's own {@code sec-*} indices (prefixed {@code sec_}), and the suite's roles. A trial licence
 * turns on document- and field-level security.
 */
final class SecuredNode {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String PASSWORD = System.getProperty("tests.secure.password");

    /** What each suite role may do, beyond the documented ones (their users are made by the build, see the pom). */
    private static final Map<String, Object> SUITE_ROLES = Map.of(
        "test_all_indices",
        Map.of("indices", List.of(Map.of("names", List.of("*"), "privileges", List.of("all")))),
        "test_items_reader",
        Map.of("indices", List.of(Map.of("names", List.of("sec-items", "sec-users", "sec-interactions"), "privileges", List.of("read")))),
        "test_serve_no_items",
        Map.of(
            "cluster",
            List.of("cluster:monitor/recsys/serve/*"),
            "indices",
            List.of(Map.of("names", List.of("sec-users", "sec-interactions"), "privileges", List.of("read")))
        ),
        "test_train_no_read",
        Map.of(
            "cluster",
            List.of("cluster:admin/recsys/model/*"),
            "indices",
            List.of(Map.of("names", List.of("sec-items", "sec-users"), "privileges", List.of("all")))
        ),
        "test_train_no_write",
        Map.of(
            "cluster",
            List.of("cluster:admin/recsys/model/*"),
            "indices",
            List.of(
                Map.of("names", List.of("sec-interactions"), "privileges", List.of("read")),
                Map.of(
                    "names",
                    List.of("sec-items", "sec-users"),
                    "privileges",
                    List.of("read", "view_index_metadata", "indices:admin/mapping/put")
                )
            )
        ),
        "test_dls_recommend",
        Map.of(
            "cluster",
            List.of("cluster:monitor/recsys/serve/*"),
            "indices",
            List.of(
                Map.of("names", List.of("sec-items"), "privileges", List.of("read"), "query", "{\"term\": {\"shelf\": \"open\"}}"),
                Map.of("names", List.of("sec-users", "sec-interactions"), "privileges", List.of("read"))
            )
        ),
        "test_fls_recommend",
        Map.of(
            "cluster",
            List.of("cluster:monitor/recsys/serve/*"),
            "indices",
            List.of(
                Map.of(
                    "names",
                    List.of("sec-items"),
                    "privileges",
                    List.of("read"),
                    "field_security",
                    Map.of("grant", List.of("*"), "except", List.of("cost"))
                ),
                Map.of("names", List.of("sec-users", "sec-interactions"), "privileges", List.of("read"))
            )
        )
    );

    private static TestNode superuser;
    private static final Map<String, TestNode> USERS = new java.util.HashMap<>();

    private SecuredNode() {}

    /** The node as its superuser {@code elastic}, the roles installed and the trial licence on. */
    static synchronized TestNode superuser() {
        if (superuser == null) {
            TestNode node = TestNode.fromEnv(Path.of(System.getProperty("tests.secure.node.env")));
            installRoles(node.home().resolve("config").resolve("roles.yml"));
            startTrial(node);
            superuser = node;
            awaitRoles();
        }
        return superuser;
    }

    /** The node as a user the build made (one client per user, kept for the run). */
    static synchronized TestNode as(String user) {
        TestNode node = superuser();
        return USERS.computeIfAbsent(user, u -> node.as(u, PASSWORD));
    }

    /** The {@code roles.yml} entries of docs/security.md: its first yaml block. */
    static Map<String, Object> documentedRoles() {
        Path page = Path.of(System.getProperty("tests.docs.dir")).resolve("security.md");
        try {
            List<String> lines = Files.readAllLines(page);
            int start = lines.indexOf("```yaml");
            int end = lines.subList(start + 1, lines.size()).indexOf("```") + start + 1;
            @SuppressWarnings("unchecked")
            Map<String, Object> roles = YAML.readValue(String.join("\n", lines.subList(start + 1, end)), Map.class);
            return roles;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void installRoles(Path rolesFile) {
        Map<String, Object> roles = new LinkedHashMap<>(documentedRoles());
        for (Map.Entry<String, Object> role : documentedRoles().entrySet()) {
            try {
                String json = TestNode.JSON.writeValueAsString(role.getValue()).replace("\"shop-", "\"sec-");
                roles.put("sec_" + role.getKey(), TestNode.JSON.readValue(json, Map.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        roles.putAll(SUITE_ROLES);
        try {
            // Written in place: the file keeps the owner and mode the node can read.
            Files.writeString(rolesFile, YAML.writeValueAsString(roles));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void startTrial(TestNode node) {
        JsonNode license = node.ok("GET", "/_license").path("license");
        if ("trial".equals(license.path("type").asText()) == false) {
            assertEquals(true, node.ok("POST", "/_license/start_trial?acknowledge=true").path("trial_was_started").asBoolean());
        }
    }

    /** The file realm reloads roles.yml within seconds: wait until the last suite role grants its user. */
    private static void awaitRoles() {
        TestNode fls = as("fls_recommender");
        try {
            for (int i = 0; i < 120; i++) {
                TestNode.Reply reply =
                    fls.call("POST", "/_security/user/_has_privileges", "{\"cluster\": [\"cluster:monitor/recsys/serve/recommend\"]}");
                if (reply.status() == 200 && reply.body().path("has_all_requested").asBoolean()) {
                    return;
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("the node did not load the suite's roles.yml within 60 s");
    }
}

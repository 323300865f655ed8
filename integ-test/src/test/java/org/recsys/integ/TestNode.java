package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHeader;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The node that the build started with {@code scripts/node start} (its {@code node.env} is named by the system
 * property {@code tests.node.env}), reached over HTTP with Elasticsearch's low-level REST client.
 */
public final class TestNode {

    public static final ObjectMapper JSON = new ObjectMapper();

    private static TestNode instance;

    private final String url;
    private final Path log;
    private final Path home;
    private final RestClient client;

    /** What the node answered: the HTTP status and the parsed body (null for an empty body). */
    public record Reply(int status, JsonNode body) {
        public String text() {
            return String.valueOf(body);
        }
    }

    private TestNode(String url, Path log, Path home, String user, String password) {
        this.url = url;
        this.log = log;
        this.home = home;
        // Long socket timeout: a _bulk through a text_vector pipeline runs a transformer over every document.
        var builder = RestClient.builder(HttpHost.create(url)).setRequestConfigCallback(c -> c.setSocketTimeout(600_000));
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            builder.setDefaultHeaders(new Header[]{ new BasicHeader("Authorization", "Basic " + token) });
        }
        this.client = builder.build();
    }

    /** The same node, reached as another user of a node with security on (a new client; close it when done). */
    public TestNode as(String user, String password) {
        return new TestNode(url, log, home, user, password);
    }

    public static synchronized TestNode get() {
        if (instance == null) {
            String envFile = System.getProperty("tests.node.env");
            if (envFile == null) {
                throw new IllegalStateException("system property tests.node.env is not set; run the tests with 'mvn verify'");
            }
            instance = fromEnv(Path.of(envFile));
        }
        return instance;
    }

    /** A client of the node that {@code scripts/node start} described in {@code envFile}. */
    public static TestNode fromEnv(Path envFile) {
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(envFile)) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no node.env at " + envFile + ": did scripts/node start run?", e);
        }
        // A node with security on records its superuser's credentials (scripts/node start --security).
        return new TestNode(
            env.getProperty("URL"),
            Path.of(env.getProperty("LOG")),
            Path.of(env.getProperty("HOME_DIR")),
            env.getProperty("AUTH_USER"),
            env.getProperty("AUTH_PASSWORD")
        );
    }

    /** Closes the HTTP client (the node keeps running). */
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    public Path log() {
        return log;
    }

    /** The node's Elasticsearch home (its {@code config/} holds {@code recsys-models/}). */
    public Path home() {
        return home;
    }

    /** Sends a request with an optional JSON (or NDJSON) body; any status comes back as a reply, never as an exception. */
    public Reply call(String method, String path, String body) {
        Request request = new Request(method, path);
        if (body != null) {
            ContentType type = path.contains("_bulk")
                ? ContentType.create("application/x-ndjson", java.nio.charset.StandardCharsets.UTF_8)
                : ContentType.APPLICATION_JSON;
            request.setEntity(new NStringEntity(body, type));
        }
        try {
            Response response;
            try {
                response = client.performRequest(request);
            } catch (ResponseException e) {
                response = e.getResponse();
            }
            return reply(response);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        }
    }

    public Reply call(String method, String path) {
        return call(method, path, null);
    }

    /** Like {@link #call} but fails unless the node answers 2xx. */
    public JsonNode ok(String method, String path, String body) {
        Reply reply = call(method, path, body);
        if (reply.status() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + reply.status() + ": " + reply.text());
        }
        return reply.body();
    }

    public JsonNode ok(String method, String path) {
        return ok(method, path, null);
    }

    /** The last lines of the node's log. */
    public List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(could not read " + log + ": " + e + ")");
        }
    }

    private static Reply reply(Response response) throws IOException {
        String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
        JsonNode body = text.isBlank() ? null : parse(text);
        return new Reply(response.getStatusLine().getStatusCode(), body);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            // _cat APIs answer plain text.
            return JSON.getNodeFactory().textNode(text);
        }
    }
}

package org.recsys.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A node's REST API for the benchmarks that run against one (I1, Q1): a request answered with anything but 2xx fails. */
final class NodeClient {

    private static final HttpClient HTTP =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private final String url;

    NodeClient(String url) {
        this.url = url;
    }

    String send(String method, String path, String body, String type) throws Exception {
        HttpResponse<String> r = exchange(method, path, body, type);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The node's answer whatever its status. */
    HttpResponse<String> exchange(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofHours(2));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String json(String method, String path, String body) throws Exception {
        return send(method, path, body, "application/json");
    }

    /** DELETE that may find nothing to delete: its answer is ignored. */
    void delete(String path) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }
}

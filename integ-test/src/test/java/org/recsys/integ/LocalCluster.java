package org.recsys.integ;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Nodes of the real distribution with the real plugin zip, started and stopped with {@code scripts/node} on
 * loopback and joined into one cluster; each keeps its data directory across a stop and start.
 */
final class LocalCluster implements AutoCloseable {

    private static final Path PROJECT = Path.of(System.getProperty("tests.project.dir"));
    private final Path dir;
    private final List<String> names;
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Integer> transportPorts = new ArrayList<>();
    private final List<TestNode> nodes = new ArrayList<>();
    private final Map<String, List<String>> settings;

    LocalCluster(Path dir, List<String> names) {
        this(dir, names, Map.of());
    }

    /** @param settings node settings ({@code key=value}) by node name, for the nodes that need some */
    LocalCluster(Path dir, List<String> names, Map<String, List<String>> settings) {
        this.dir = dir;
        this.names = names;
        this.settings = settings;
        for (int i = 0; i < names.size(); i++) {
            httpPorts.add(freePort());
            transportPorts.add(freePort());
        }
    }

    TestNode node(int i) {
        return nodes.get(i);
    }

    /**
     * Starts every node at once (a cluster whose nodes were all stopped elects a master only when enough of them
     * are back), the first time with clean data directories.
     */
    void start(boolean clean) {
        start(clean, true);
    }

    /**
     * Starts every node; with {@code plugin} false, as they are, installing nothing (a node after {@code
     * elasticsearch-plugin remove recsys}); with it true the plugin is installed where it is missing.
     */
    void start(boolean clean, boolean plugin) {
        closeClients();
        String join = String.join(",", transportPorts.stream().map(p -> "127.0.0.1:" + p).toList());
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<String> command = new ArrayList<>(
                List.of(
                    PROJECT.resolve("scripts/node").toString(),
                    "start",
                    "--dir",
                    dir.resolve(names.get(i)).toString(),
                    "--name",
                    names.get(i),
                    "--port",
                    String.valueOf(httpPorts.get(i)),
                    "--transport-port",
                    String.valueOf(transportPorts.get(i)),
                    "--join",
                    join,
                    "--masters",
                    names.get(0),
                    "--dist",
                    System.getProperty("tests.dist.zip"),
                    "--model",
                    "minilm=" + MovieLens.SHARED.resolve("models/all-MiniLM-L6-v2"),
                    "--plugin",
                    System.getProperty("tests.plugin.zip")
                )
            );
            if (clean) {
                command.add("--clean");
            }
            if (plugin == false) {
                command.add("--no-plugin");
            }
            for (String setting : settings.getOrDefault(names.get(i), List.of())) {
                command.add("-E");
                command.add(setting);
            }
            starts.add(CompletableFuture.runAsync(() -> run(command)));
        }
        starts.forEach(CompletableFuture::join);
        for (String name : names) {
            nodes.add(TestNode.fromEnv(dir.resolve(name).resolve("node.env")));
        }
    }

    void stop() {
        closeClients();
        for (String name : names) {
            run(List.of(PROJECT.resolve("scripts/node").toString(), "stop", "--dir", dir.resolve(name).toString()));
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void closeClients() {
        nodes.forEach(TestNode::close);
        nodes.clear();
    }

    /** Runs a command of node {@code i}'s distribution, e.g. {@code bin/elasticsearch-plugin}, and answers its output. */
    String runInHome(int i, String... command) {
        List<String> full = new ArrayList<>(List.of(command));
        full.set(
            0,
            dir.resolve(names.get(i)).resolve("elasticsearch-" + System.getProperty("tests.es.version")).resolve(command[0]).toString()
        );
        return run(full);
    }

    /** An empty directory at {@code path}, whatever was there from an earlier run (a snapshot repository, say). */
    static Path emptyDirectory(Path path) {
        try {
            if (Files.exists(path)) {
                try (var walk = Files.walk(path)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(path);
            // The node may run as another user and writes here.
            path.toFile().setWritable(true, false);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indices made from now on get no replica: a single node's cluster is then green, not yellow. */
    static void withoutReplicas(TestNode node) {
        node.ok(
            "PUT",
            "/_index_template/no-replicas",
            "{\"index_patterns\": [\"*\"], \"template\": {\"settings\": {\"number_of_replicas\": 0}}}"
        );
    }

    private static String run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // The distribution bundles no JDK: its tools run on this one unless the environment names another.
            builder.environment().putIfAbsent("ES_JAVA_HOME", System.getProperty("java.home"));
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

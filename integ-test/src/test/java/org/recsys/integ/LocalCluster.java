package org.recsys.integ;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
        closeClients();
        String join = String.join(",", transportPorts.stream().map(p -> "127.0.0.1:" + p).toList());
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<String> command = new ArrayList<>(List.of(
                PROJECT.resolve("scripts/node").toString(), "start",
                "--dir", dir.resolve(names.get(i)).toString(),
                "--name", names.get(i),
                "--port", String.valueOf(httpPorts.get(i)),
                "--transport-port", String.valueOf(transportPorts.get(i)),
                "--join", join,
                "--masters", names.get(0),
                "--dist", System.getProperty("tests.dist.zip"),
                "--model", "minilm=" + MovieLens.SHARED.resolve("models/all-MiniLM-L6-v2"),
                "--plugin", System.getProperty("tests.plugin.zip")
            ));
            if (clean) {
                command.add("--clean");
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

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
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

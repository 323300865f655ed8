package org.recsys.plugin;

import org.elasticsearch.test.ESTestCase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The plugin's packages depend on each other one way, down the layers of docs/architecture.md: this reads every
 * compiled class's constant pool (where each class it uses is named) and fails on a package cycle or on a dependency
 * that points up. {@code scripts/check-layers} draws the same graph with jdeps.
 */
public class PackageLayersTests extends ESTestCase {

    private static final String ROOT = "org/recsys/plugin";

    /** Top to bottom; a package may use only packages of layers below its own. {@code ""} is the plugin's root. */
    static final List<List<String>> LAYERS = List.of(
        List.of(""),
        List.of("rest"),
        List.of("action"),
        List.of("knn", "script", "recommend"),
        List.of("rescore"),
        List.of("evaluation", "serving"),
        List.of("training"),
        List.of("encoder"),
        List.of("store"),
        List.of("memory", "threadpool", "util")
    );

    /** A class named in a constant pool, as an internal name or inside a descriptor or signature. */
    private static final Pattern REFERENCE = Pattern.compile(ROOT + "/(?:([a-z]\\w*)/)?[A-Z]");

    public void testNoPackageCycle() throws IOException {
        Map<String, Set<String>> graph = dependencies();
        List<String> cycle = findCycle(graph);
        assertTrue("package cycle " + String.join(" -> ", cycle) + " in " + graph, cycle.isEmpty());
    }

    public void testDependenciesPointDown() throws IOException {
        Map<String, Set<String>> graph = dependencies();
        List<String> upward = new ArrayList<>();
        graph.forEach((from, targets) -> {
            for (String to : targets) {
                if (layer(from) >= layer(to)) {
                    upward.add(name(from) + " -> " + name(to));
                }
            }
        });
        assertEquals("dependencies not pointing down the layers " + LAYERS, List.of(), upward);
    }

    /** The check itself can fail: a cycle is found in a graph that has one. */
    public void testFindsACycle() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of("a", "b", "c", "a"), findCycle(new TreeMap<>(graph)));
        assertEquals(List.of(), findCycle(Map.of("a", Set.of("b"), "b", Set.of())));
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package [" + name(pkg) + "] is in no layer of " + LAYERS + "; add it where it belongs");
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "(root)" : pkg;
    }

    /** Each package of the plugin (its first segment below the root) and the other packages its classes name. */
    static Map<String, Set<String>> dependencies() throws IOException {
        Path classes = Path.of(RecsysPlugin.class.getProtectionDomain().getCodeSource().getLocation().getPath()).resolve(ROOT);
        Map<String, Set<String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertFalse("no classes under " + classes, files.isEmpty());
        for (Path file : files) {
            String from = packageOf(classes.relativize(file));
            Set<String> targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
            // Class names in the constant pool are ASCII, so a Latin-1 view of the bytes finds them.
            Matcher m = REFERENCE.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                String to = m.group(1) == null ? "" : m.group(1);
                if (to.equals(from) == false) {
                    targets.add(to);
                }
            }
        }
        return graph;
    }

    private static String packageOf(Path relative) {
        return relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
    }

    /** A cycle as the packages along it, first repeated at the end; empty when there is none. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // 1 on the current path, 2 done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return false;
        }
        path.add(node);
        if (s != null) {
            path.subList(0, path.indexOf(node)).clear();
            return true;
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) {
                return true;
            }
        }
        state.put(node, 2);
        path.remove(path.size() - 1);
        return false;
    }
}

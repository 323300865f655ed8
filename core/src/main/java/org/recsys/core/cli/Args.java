package org.recsys.core.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --name value} command-line flags, and {@code --name} switches without a value, each known in advance; an
 * unknown or repeated flag is an error.
 */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> known;

    Args(String[] argv, int from, Set<String> known) {
        this(argv, from, known, Set.of());
    }

    Args(String[] argv, int from, Set<String> known, Set<String> switches) {
        this.known = known;
        for (int i = from; i < argv.length; i++) {
            String flag = argv[i];
            String name = flag.startsWith("--") ? flag.substring(2) : "";
            if (switches.contains(name)) {
                if (values.put(name, "true") != null) {
                    throw new IllegalArgumentException("flag [" + flag + "] is given twice");
                }
                continue;
            }
            if (known.contains(name) == false) {
                Set<String> all = new TreeSet<>(known);
                all.addAll(switches);
                throw new IllegalArgumentException("unknown argument [" + flag + "]; known flags: " + all);
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("flag [" + flag + "] needs a value");
            }
            if (values.put(name, argv[++i]) != null) {
                throw new IllegalArgumentException("flag [" + flag + "] is given twice");
            }
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String defaultValue) {
        assert known.contains(name) : name;
        return values.getOrDefault(name, defaultValue);
    }

    Path requiredPath(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("flag [--" + name + "] is required");
        }
        return Path.of(v);
    }

    int integer(String name, int defaultValue) {
        String v = string(name, null);
        try {
            return v == null ? defaultValue : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flag [--" + name + "] must be an integer, got [" + v + "]");
        }
    }

    float number(String name, float defaultValue) {
        String v = string(name, null);
        try {
            return v == null ? defaultValue : Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flag [--" + name + "] must be a number, got [" + v + "]");
        }
    }
}

package org.recsys.core.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --name value} command-line flags, each known in advance; an unknown or repeated flag is an error. */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> known;

    Args(String[] argv, int from, Set<String> known) {
        this.known = known;
        for (int i = from; i < argv.length; i++) {
            String flag = argv[i];
            if (flag.startsWith("--") == false || known.contains(flag.substring(2)) == false) {
                throw new IllegalArgumentException("unknown argument [" + flag + "]; known flags: " + new TreeSet<>(known));
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("flag [" + flag + "] needs a value");
            }
            if (values.put(flag.substring(2), argv[++i]) != null) {
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

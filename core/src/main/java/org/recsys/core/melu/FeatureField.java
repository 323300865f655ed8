package org.recsys.core.melu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One feature MeLU embeds: its name (what requests, files and a user's features call it), whose feature it is, and
 * how raw values become vocabulary values. Values are keywords: each distinct value is one embedding row, and a
 * feature with several values (an array, or one value split) has its rows averaged.
 */
public record FeatureField(String name, Side side, Transform transform) {

    /** Whose feature it is. */
    public enum Side {
        USER, ITEM
    }

    public FeatureField {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a feature needs a non-empty name");
        }
        if (side == null || transform == null) {
            throw new IllegalArgumentException("feature [" + name + "] needs a side and a transform");
        }
    }

    /** A keyword feature: every raw value, trimmed, is a vocabulary value. */
    public static FeatureField keyword(String name, Side side) {
        return new FeatureField(name, side, new Keyword());
    }

    /** The vocabulary values of raw values: trimmed, empty ones dropped, then split, cut or bucketed. */
    public List<String> normalise(List<String> raw) {
        List<String> out = new ArrayList<>(raw.size());
        for (String value : raw) {
            if (value != null) {
                transform.apply(this, value.trim(), out);
            }
        }
        return out;
    }

    /** How one trimmed raw value becomes zero or more vocabulary values. */
    public sealed interface Transform permits Keyword, Split, Prefix, Buckets {
        void apply(FeatureField field, String value, List<String> out);
    }

    /** The value itself. */
    public record Keyword() implements Transform {
        @Override
        public void apply(FeatureField field, String value, List<String> out) {
            addIfPresent(out, value);
        }
    }

    /** Several values in one, e.g. comma-separated names: each part, trimmed. */
    public record Split(String separator) implements Transform {
        public Split {
            if (separator == null || separator.isEmpty()) {
                throw new IllegalArgumentException("[split] must be a non-empty separator");
            }
        }

        @Override
        public void apply(FeatureField field, String value, List<String> out) {
            int from = 0;
            for (int at = value.indexOf(separator); at >= 0; at = value.indexOf(separator, from)) {
                addIfPresent(out, value.substring(from, at).trim());
                from = at + separator.length();
            }
            addIfPresent(out, value.substring(from).trim());
        }
    }

    /** The first {@code length} characters (a zip code's region). */
    public record Prefix(int length) implements Transform {
        public Prefix {
            if (length < 1) {
                throw new IllegalArgumentException("[prefix] is [" + length + "]; it must be at least 1");
            }
        }

        @Override
        public void apply(FeatureField field, String value, List<String> out) {
            addIfPresent(out, value.length() <= length ? value : value.substring(0, length));
        }
    }

    /**
     * A number put into a bucket by ascending bounds: {@code <b0}, {@code >=b0}, ..., {@code >=bn} (an age in
     * MovieLens 1M's groups). A value that is not a number is an error naming the feature.
     */
    public record Buckets(double[] bounds) implements Transform {
        public Buckets {
            boolean ok = bounds != null && bounds.length > 0;
            for (int i = 0; ok && i < bounds.length; i++) {
                ok = Double.isFinite(bounds[i]) && (i == 0 || bounds[i] > bounds[i - 1]);
            }
            if (ok == false) {
                throw new IllegalArgumentException("[buckets] must be finite numbers in ascending order, got " + Arrays.toString(bounds));
            }
        }

        @Override
        public void apply(FeatureField field, String value, List<String> out) {
            if (value.isEmpty()) {
                return;
            }
            double number;
            try {
                number = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                number = Double.NaN;
            }
            if (Double.isNaN(number)) {
                throw new IllegalArgumentException(
                    field.side().name().toLowerCase(java.util.Locale.ROOT)
                        + " feature ["
                        + field.name()
                        + "] must be a number, got ["
                        + value
                        + "]"
                );
            }
            int bucket = 0;
            while (bucket < bounds.length && number >= bounds[bucket]) {
                bucket++;
            }
            out.add(bucket == 0 ? "<" + label(bounds[0]) : ">=" + label(bounds[bucket - 1]));
        }

        private static String label(double bound) {
            return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound) : Double.toString(bound);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Buckets b && Arrays.equals(bounds, b.bounds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bounds);
        }

        @Override
        public String toString() {
            return "Buckets" + Arrays.toString(bounds);
        }
    }

    private static void addIfPresent(List<String> out, String value) {
        if (value.isEmpty() == false) {
            out.add(value);
        }
    }
}

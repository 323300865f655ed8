package org.recsys.plugin.util;

import java.util.List;
import java.util.Map;

/** Vectors as documents hold them in {@code _source}: a list of numbers at a (possibly dotted) field path. */
public final class VectorsInSource {

    private VectorsInSource() {}

    /** The vector at {@code field}, or null when the document has none of {@code dims} numbers there. */
    public static float[] read(Map<String, Object> source, String field, int dims) {
        Object value = valueAt(source, field);
        return value instanceof List<?> list && list.size() == dims ? numbers(list) : null;
    }

    /** The vector at {@code field} whatever its size, or null when the document has no list of numbers there. */
    public static float[] read(Map<String, Object> source, String field) {
        Object value = valueAt(source, field);
        return value instanceof List<?> list && list.isEmpty() == false ? numbers(list) : null;
    }

    /**
     * The value at a field path, whether the source nests it in objects or names it with dots. Not
     * {@code XContentMapValues.extractValue}, which copies every list it returns element by element (a user's factor and
     * content profile, on each recommendation).
     */
    static Object valueAt(Map<?, ?> source, String field) {
        Object value = source.get(field);
        return value != null || field.indexOf('.') < 0 ? value : valueAt(source, field.split("\\."), 0);
    }

    private static Object valueAt(Map<?, ?> map, String[] path, int from) {
        StringBuilder key = new StringBuilder();
        for (int to = from; to < path.length; to++) {
            if (to > from) {
                key.append('.');
            }
            key.append(path[to]);
            Object value = map.get(key.toString());
            if (to == path.length - 1) {
                return value;
            }
            if (value instanceof Map<?, ?> inner) {
                Object found = valueAt(inner, path, to + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static float[] numbers(List<?> list) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            if (list.get(i) instanceof Number n) {
                v[i] = n.floatValue();
            } else {
                return null;
            }
        }
        return v;
    }
}

package org.recsys.plugin.util;

import org.elasticsearch.common.xcontent.support.XContentMapValues;

import java.util.List;
import java.util.Map;

/** Vectors as documents hold them in {@code _source}: a list of numbers at a (possibly dotted) field path. */
public final class VectorsInSource {

    private VectorsInSource() {}

    /** The vector at {@code field}, or null when the document has none of {@code dims} numbers there. */
    public static float[] read(Map<String, Object> source, String field, int dims) {
        Object value = XContentMapValues.extractValue(field, source);
        return value instanceof List<?> list && list.size() == dims ? numbers(list) : null;
    }

    /** The vector at {@code field} whatever its size, or null when the document has no list of numbers there. */
    public static float[] read(Map<String, Object> source, String field) {
        Object value = XContentMapValues.extractValue(field, source);
        return value instanceof List<?> list && list.isEmpty() == false ? numbers(list) : null;
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

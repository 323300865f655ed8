package org.recsys.plugin.util;

import org.elasticsearch.common.xcontent.support.XContentMapValues;

import java.util.List;
import java.util.Map;

/** Vectors as documents hold them in {@code _source}: a list of numbers at a (possibly dotted) field path. */
public final class SourceVectors {

    private SourceVectors() {}

    /** The vector at {@code field}, or null when the document has none of {@code dims} numbers there. */
    public static float[] read(Map<String, Object> source, String field, int dims) {
        Object value = XContentMapValues.extractValue(field, source);
        if (value instanceof List<?> list && list.size() == dims) {
            float[] v = new float[dims];
            for (int i = 0; i < dims; i++) {
                if (list.get(i) instanceof Number n) {
                    v[i] = n.floatValue();
                } else {
                    return null;
                }
            }
            return v;
        }
        return null;
    }
}

package org.recsys.plugin.script;

import java.util.List;
import java.util.Map;

/** Reads the params the [recsys] scripts share. */
final class ScriptParams {

    private ScriptParams() {}

    /** An array of numbers, as floats; anything else is an error naming the param. */
    static float[] vector(Map<String, Object> params, String name) {
        if (params.get(name) instanceof List<?> list) {
            float[] vector = new float[list.size()];
            for (int i = 0; i < vector.length; i++) {
                if (list.get(i) instanceof Number n) {
                    vector[i] = n.floatValue();
                } else {
                    throw new IllegalArgumentException(
                        "param [" + name + "] must be an array of numbers; element [" + i + "] is [" + list.get(i) + "]"
                    );
                }
            }
            return vector;
        }
        throw new IllegalArgumentException("param [" + name + "] must be an array of numbers, got [" + params.get(name) + "]");
    }
}

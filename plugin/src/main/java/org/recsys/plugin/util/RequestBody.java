package org.recsys.plugin.util;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.wals.WalsParams;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object of a request body, read field by field with errors that name the field's full path, the value
 * and what was expected. Unknown fields are refused, so that a typo never silently falls back to a default.
 */
public final class RequestBody implements WalsParams.Source {

    private final String path;
    private final Map<String, Object> fields;

    private RequestBody(String path, Map<String, Object> fields) {
        this.path = path;
        this.fields = fields;
    }

    /**
     * The one JSON object of a request body. Content after it ({@code {...}{"extra":1}}) is refused rather than
     * ignored, as Elasticsearch's own APIs refuse it, so a request never means less than it says.
     */
    public static Map<String, Object> singleObject(XContentParser parser) throws IOException {
        Map<String, Object> body = parser.map();
        if (parser.nextToken() != null) {
            throw new ParsingException(
                parser.getTokenLocation(),
                "the request body has content after its JSON object, at [" + parser.getTokenLocation() + "]; send a single object"
            );
        }
        return body;
    }

    public static RequestBody of(Map<String, Object> body, Set<String> allowed) {
        return new RequestBody("", body == null ? Map.of() : body).only(allowed);
    }

    private RequestBody only(Set<String> allowed) {
        for (String key : fields.keySet()) {
            if (allowed.contains(key) == false) {
                throw new IllegalArgumentException("unknown field [" + name(key) + "]; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
        return this;
    }

    /** Where this object is in the request, e.g. {@code items.features[2]}; empty for the body itself. */
    public String path() {
        return path;
    }

    public boolean has(String key) {
        return fields.get(key) != null;
    }

    public String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public String requiredString(String key) {
        String value = string(key, null);
        if (value == null) {
            throw new IllegalArgumentException("[" + name(key) + "] is required");
        }
        return value;
    }

    @Override
    public String string(String key, String defaultValue) {
        Object value = fields.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String s && s.isBlank() == false) {
            return s;
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be a non-empty string, got [" + value + "]");
    }

    @Override
    public int integer(String key, int defaultValue) {
        Object value = fields.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Long) {
            long l = ((Number) value).longValue();
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) l;
            }
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be an integer, got [" + value + "]");
    }

    public long longValue(String key, long defaultValue) {
        Object value = fields.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be an integer, got [" + value + "]");
    }

    @Override
    public float number(String key, float defaultValue) {
        Object value = fields.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.floatValue();
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be a finite number, got [" + value + "]");
    }

    /** A nested object, or an empty one when absent. */
    public RequestBody object(String key, Set<String> allowed) {
        Object value = fields.get(key);
        if (value == null) {
            return new RequestBody(name(key), Map.of()).only(allowed);
        }
        return new RequestBody(name(key), asMap(key, value)).only(allowed);
    }

    public RequestBody requiredObject(String key, Set<String> allowed) {
        if (has(key) == false) {
            throw new IllegalArgumentException("[" + name(key) + "] is required");
        }
        return object(key, allowed);
    }

    /** A nested object kept as it was sent (e.g. a query, which Elasticsearch parses itself). */
    public Map<String, Object> rawObject(String key) {
        Object value = fields.get(key);
        return value == null ? null : asMap(key, value);
    }

    public boolean bool(String key, boolean defaultValue) {
        Object value = fields.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be true or false, got [" + value + "]");
    }

    /** A list of non-empty strings, or an empty list when absent. */
    public java.util.List<String> strings(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return java.util.List.of();
        }
        if (value instanceof java.util.List<?> list && list.stream().allMatch(v -> v instanceof String s && s.isEmpty() == false)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be an array of field names, got [" + value + "]");
    }

    /** A non-empty list of finite numbers, or null when absent. */
    public double[] numbers(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.List<?> list && list.isEmpty() == false
            && list.stream().allMatch(v -> v instanceof Number n && Double.isFinite(n.doubleValue()))) {
            return list.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be a non-empty array of numbers, got [" + value + "]");
    }

    /**
     * A scalar as text, or null when absent: for values that a parser of its own reads (numbers, enumerations); an
     * object or an array is refused.
     */
    public String scalar(String key) {
        Object value = fields.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be a number or a string, got [" + value + "]");
    }

    /** A list of objects, each read as a body of its own (named {@code key[i]} in errors). */
    public java.util.List<RequestBody> objects(String key, Set<String> allowed) {
        Object value = fields.get(key);
        if (value == null) {
            return java.util.List.of();
        }
        if (value instanceof java.util.List<?> list) {
            java.util.List<RequestBody> out = new java.util.ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                String at = key + "[" + i + "]";
                out.add(new RequestBody(name(at), asMap(at, list.get(i))).only(allowed));
            }
            return out;
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be an array of objects, got [" + value + "]");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(String key, Object value) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be an object, got [" + value + "]");
    }
}

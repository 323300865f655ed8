package org.recsys.plugin.util;

import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ObjectParser.ValueType;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.wals.WalsParams;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A flat object of a request whose names and defaults are core's ({@code params} of each model type, and the
 * {@code fusion} and {@code tune} blocks of {@code wals}): an {@code ObjectParser} with one declaration per name reads
 * it, refusing unknown names with their position, so that a typo never silently falls back to a default; the spec
 * then reads each value by name with errors that name the field's full path, the value and what was expected.
 */
public final class ParamsObject implements WalsParams.Source {

    private final String path;
    private final Map<String, Object> fields;

    private ParamsObject(String path, Map<String, Object> fields) {
        this.path = path;
        this.fields = fields;
    }

    /**
     * The object at the parser's position, named {@code path} in errors, read by an {@code ObjectParser} that declares
     * each of the names {@code allowed} (core's): an unknown name is Elasticsearch's "unknown field" with its position.
     */
    public static ParamsObject read(XContentParser parser, String path, Set<String> allowed) throws IOException {
        return new ParamsObject(path, PARSERS.computeIfAbsent(new Shape(path, allowed), ParamsObject::parser).parse(parser, null));
    }

    private record Shape(String path, Set<String> names) {}

    private static final Map<Shape, ObjectParser<Map<String, Object>, Void>> PARSERS = new ConcurrentHashMap<>();

    private static ObjectParser<Map<String, Object>, Void> parser(Shape shape) {
        ObjectParser<Map<String, Object>, Void> parser = new ObjectParser<>(shape.path(), false, LinkedHashMap::new);
        for (String name : shape.names()) {
            // Any JSON value: the spec reads it by name and says what it expected (ParamsObject's typed getters).
            parser.declareField(
                (values, v) -> values.put(name, v),
                ParamsObject::anyValue,
                new ParseField(name),
                ValueType.VALUE_OBJECT_ARRAY
            );
        }
        return parser;
    }

    private static Object anyValue(XContentParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> p.map();
            case START_ARRAY -> p.list();
            case VALUE_STRING -> p.text();
            case VALUE_NUMBER -> p.numberValue();
            case VALUE_BOOLEAN -> p.booleanValue();
            default -> null;
        };
    }

    /** An object that was not sent: every value takes its default. */
    public static ParamsObject empty(String path) {
        return new ParamsObject(path, Map.of());
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

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(String key, Object value) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("[" + name(key) + "] must be an object, got [" + value + "]");
    }
}

package org.recsys.plugin.util;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.core.CheckedFunction;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;

import java.io.IOException;
import java.util.Map;

/**
 * What the plugin's {@code ObjectParser}s share: the one object of a request body, a parser over JSON that is
 * already a map (a stored spec, a script's params), a nested object kept as JSON (a query, which Elasticsearch
 * parses itself), and the value checks the declarations' setters make.
 */
public final class BodyParsing {

    private BodyParsing() {}

    /**
     * The one JSON object of a request body, read by {@code read}. Content after it ({@code {...}{"extra":1}}) is
     * refused rather than ignored, as Elasticsearch's own APIs refuse it, so a request never means less than it says.
     */
    public static <T> T singleObject(XContentParser parser, CheckedFunction<XContentParser, T, IOException> read) throws IOException {
        T value = read.apply(parser);
        if (parser.nextToken() != null) {
            throw new ParsingException(
                parser.getTokenLocation(),
                "the request body has content after its JSON object, at [" + parser.getTokenLocation() + "]; send a single object"
            );
        }
        return value;
    }

    /** A parser over values that are JSON already parsed into a map; positions in errors are those of its JSON form. */
    public static XContentParser parserOf(Map<String, ?> map) {
        return XContentHelper.mapToXContentParser(XContentParserConfiguration.EMPTY, map);
    }

    /** The object at the parser's position, as JSON text. */
    public static String objectAsJson(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("expected an object, got [" + parser.currentToken() + "]");
        }
        try (XContentBuilder b = XContentFactory.jsonBuilder()) {
            return Strings.toString(b.copyCurrentStructure(parser));
        }
    }

    /** Field names and ids: an empty string means nothing and is refused. */
    public static String nonEmpty(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("[" + name + "] must be a non-empty string, got [" + value + "]");
        }
        return value;
    }

    public static float finite(String name, float value) {
        if (Float.isFinite(value) == false) {
            throw new IllegalArgumentException("[" + name + "] must be a finite number, got [" + value + "]");
        }
        return value;
    }
}

package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;

import static org.elasticsearch.xcontent.ConstructingObjectParser.constructorArg;

/**
 * The opt-in content step of {@code _train}: the items' text vector field, from which every user's content profile
 * (the mean of their items' text vectors, at unit length) is written beside their factor, so that the
 * {@code recsys} rescorer's content feature reads one vector per request instead of every item of the user.
 */
public record ContentSpec(String textField) implements Writeable, ToXContentFragment {

    static final ConstructingObjectParser<ContentSpec, Void> PARSER =
        new ConstructingObjectParser<>("content", a -> new ContentSpec(BodyParsing.nonEmpty("content.text_field", (String) a[0])));
    static {
        PARSER.declareString(constructorArg(), new ParseField("text_field"));
    }

    public ContentSpec(StreamInput in) throws IOException {
        this(in.readString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(textField);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        return builder.field("text_field", textField);
    }
}

package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.projection.ItemWeighting;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;

import static org.elasticsearch.xcontent.ConstructingObjectParser.constructorArg;
import static org.elasticsearch.xcontent.ConstructingObjectParser.optionalConstructorArg;

/**
 * The opt-in cold-start step of {@code _train}: fit a linear projection from the items' text vectors (in
 * {@code text_field} of the item documents) to their trained factors, store it with the version, and give every
 * item document that has a text vector but no interactions a projected factor.
 */
public record ProjectionSpec(String textField, ProjectionParams params) implements Writeable, ToXContentFragment {

    static final ConstructingObjectParser<ProjectionSpec, Void> PARSER = new ConstructingObjectParser<>("projection", a -> {
        ProjectionParams d = ProjectionParams.defaults();
        return new ProjectionSpec(
            BodyParsing.nonEmpty("projection.text_field", (String) a[0]),
            new ProjectionParams(
                a[1] == null ? d.lambda() : BodyParsing.finite("projection.lambda", (Float) a[1]),
                a[2] == null ? d.weighting() : ItemWeighting.fromId((String) a[2])
            )
        );
    });
    static {
        PARSER.declareString(constructorArg(), new ParseField("text_field"));
        PARSER.declareFloat(optionalConstructorArg(), new ParseField("lambda"));
        PARSER.declareString(optionalConstructorArg(), new ParseField("item_weighting"));
    }

    public ProjectionSpec(StreamInput in) throws IOException {
        this(in.readString(), new ProjectionParams(in.readFloat(), ItemWeighting.fromId(in.readString())));
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(textField);
        out.writeFloat(params.lambda());
        out.writeString(params.weighting().id());
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        return builder.field("text_field", textField).field("lambda", params.lambda()).field("item_weighting", params.weighting().id());
    }
}

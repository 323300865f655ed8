package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
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
 * item document that has a text vector but no interactions a projected factor. With {@code factor_field}, an item
 * without interactions that has a vector there takes it as its factor instead: what a {@code text_vector} processor
 * with an encoder fine-tuned onto this model's factors wrote at ingest (docs/projection.md).
 */
public record ProjectionSpec(String textField, ProjectionParams params, @Nullable String factorField)
    implements
        Writeable,
        ToXContentFragment {

    static final ConstructingObjectParser<ProjectionSpec, Void> PARSER = new ConstructingObjectParser<>("projection", a -> {
        ProjectionParams d = ProjectionParams.defaults();
        return new ProjectionSpec(
            BodyParsing.nonEmpty("projection.text_field", (String) a[0]),
            new ProjectionParams(
                a[1] == null ? d.lambda() : BodyParsing.finite("projection.lambda", (Float) a[1]),
                a[2] == null ? d.weighting() : ItemWeighting.fromId((String) a[2])
            ),
            a[3] == null ? null : BodyParsing.nonEmpty("projection.factor_field", (String) a[3])
        );
    });
    static {
        PARSER.declareString(constructorArg(), new ParseField("text_field"));
        PARSER.declareFloat(optionalConstructorArg(), new ParseField("lambda"));
        PARSER.declareString(optionalConstructorArg(), new ParseField("item_weighting"));
        PARSER.declareString(optionalConstructorArg(), new ParseField("factor_field"));
    }

    public ProjectionSpec(StreamInput in) throws IOException {
        this(in.readString(), new ProjectionParams(in.readFloat(), ItemWeighting.fromId(in.readString())), in.readOptionalString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(textField);
        out.writeFloat(params.lambda());
        out.writeString(params.weighting().id());
        out.writeOptionalString(factorField);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params p) throws IOException {
        builder.field("text_field", textField).field("lambda", params.lambda()).field("item_weighting", params.weighting().id());
        return factorField == null ? builder : builder.field("factor_field", factorField);
    }
}

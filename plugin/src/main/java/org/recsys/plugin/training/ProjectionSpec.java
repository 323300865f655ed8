package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.projection.ItemWeighting;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.util.Set;

/**
 * The opt-in cold-start step of {@code _train}: fit a linear projection from the items' text vectors (in
 * {@code text_field} of the item documents) to their trained factors, store it with the version, and give every
 * item document that has a text vector but no interactions a projected factor.
 */
public record ProjectionSpec(String textField, ProjectionParams params) implements Writeable, ToXContentFragment {

    static final Set<String> FIELDS = Set.of("text_field", "lambda", "item_weighting");

    static ProjectionSpec parse(RequestBody body) {
        ProjectionParams d = ProjectionParams.defaults();
        return new ProjectionSpec(
            body.requiredString("text_field"),
            new ProjectionParams(body.number("lambda", d.lambda()), ItemWeighting.fromId(body.string("item_weighting", d.weighting().id())))
        );
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

package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.core.Nullable;
import org.recsys.plugin.serving.ModelUser;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The user as the shards need them, resolved once on the coordinating node: as the rescorer's model sees them (the
 * collaborative feature), their content profile (unit length) with the items' text field it is compared with, the
 * items' count field for popularity, and as each other model of the request sees them, in the request's order.
 */
public record ResolvedUser(
    ModelUser model,
    @Nullable String textField,
    @Nullable float[] contentProfile,
    @Nullable String popularityField,
    List<ModelUser> others
) implements Writeable {

    public ResolvedUser(StreamInput in) throws IOException {
        this(
            in.readNamedWriteable(ModelUser.class),
            in.readOptionalString(),
            in.readOptionalFloatArray(),
            in.readOptionalString(),
            in.readNamedWriteableCollectionAsList(ModelUser.class)
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeNamedWriteable(model);
        out.writeOptionalString(textField);
        out.writeOptionalFloatArray(contentProfile);
        out.writeOptionalString(popularityField);
        out.writeNamedWriteableCollection(others);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedUser r
            && model.equals(r.model)
            && Objects.equals(textField, r.textField)
            && Arrays.equals(contentProfile, r.contentProfile)
            && Objects.equals(popularityField, r.popularityField)
            && others.equals(r.others);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, textField, Arrays.hashCode(contentProfile), others);
    }
}

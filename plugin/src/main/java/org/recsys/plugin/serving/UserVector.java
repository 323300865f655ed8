package org.recsys.plugin.serving;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;

import java.io.IOException;
import java.util.List;

/**
 * A user's vector in a served model's space, with what a search needs around it: the version and fields it
 * belongs to, how it was made ({@code stored} or {@code folded_in}), the user's items (to exclude), and the history
 * items that had no factor (skipped and reported).
 */
public record UserVector(
    String modelId,
    long version,
    String itemIndex,
    String itemField,
    float[] vector,
    String source,
    List<String> seenItems,
    List<String> unknownItems
) implements Writeable {

    public static final String STORED = "stored";
    public static final String FOLDED_IN = "folded_in";

    public UserVector(StreamInput in) throws IOException {
        this(
            in.readString(),
            in.readVLong(),
            in.readString(),
            in.readString(),
            in.readFloatArray(),
            in.readString(),
            in.readStringCollectionAsList(),
            in.readStringCollectionAsList()
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(modelId);
        out.writeVLong(version);
        out.writeString(itemIndex);
        out.writeString(itemField);
        out.writeFloatArray(vector);
        out.writeString(source);
        out.writeStringCollection(seenItems);
        out.writeStringCollection(unknownItems);
    }
}

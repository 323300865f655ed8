package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.recsys.plugin.store.ModelId;

import java.io.IOException;

/** Another model whose score for the user joins the fused score with a weight: {@code {"model": "seq", "weight": 0.5}}. */
public record ModelWeight(String model, double weight) implements Writeable {

    public ModelWeight {
        ModelId.validate(model);
        if (Double.isFinite(weight) == false) {
            throw new IllegalArgumentException("the weight of model [" + model + "] is [" + weight + "]; weights must be finite");
        }
    }

    public ModelWeight(StreamInput in) throws IOException {
        this(in.readString(), in.readDouble());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeDouble(weight);
    }
}

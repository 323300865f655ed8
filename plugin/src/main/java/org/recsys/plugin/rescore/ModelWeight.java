package org.recsys.plugin.rescore;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.recsys.plugin.store.ModelId;

import java.io.IOException;

import static org.elasticsearch.xcontent.ConstructingObjectParser.constructorArg;

/** Another model whose score for the user joins the fused score with a weight: {@code {"model": "seq", "weight": 0.5}}. */
public record ModelWeight(String model, double weight) implements Writeable {

    static final ConstructingObjectParser<ModelWeight, Void> PARSER =
        new ConstructingObjectParser<>("models", a -> new ModelWeight((String) a[0], (Double) a[1]));
    static {
        PARSER.declareString(constructorArg(), new ParseField("model"));
        PARSER.declareDouble(constructorArg(), new ParseField("weight"));
    }

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

package org.recsys.plugin.training;

import org.elasticsearch.common.xcontent.support.XContentMapValues;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.xcontent.ConstructingObjectParser;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.melu.FeatureField;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.elasticsearch.xcontent.ConstructingObjectParser.constructorArg;
import static org.elasticsearch.xcontent.ConstructingObjectParser.optionalConstructorArg;

/**
 * Where a {@code melu} model reads one side's features: the documents of {@code index} whose {@code id_field}
 * (default {@code _id}) holds the user or item id, and the model's features in input order, each read from a
 * document field (by default the field of the feature's name). Values are read from {@code _source} during training
 * only, in the order the document has them; an array is several values.
 * <pre>
 *   "features": [{"name": "genres"}, {"name": "zip", "field": "address.zip", "prefix": 2},
 *                {"name": "age", "buckets": [18, 25, 35]}, {"name": "actors", "split": ","}]
 * </pre>
 */
public record FeatureSource(String index, String idField, List<Feature> features) implements ToXContentFragment {

    /** One feature of the model and the document field it is read from. */
    public record Feature(FeatureField feature, String field) {}

    /**
     * The parser of one side's object ({@code items} or {@code users}, named {@code name}); the items' also takes the
     * {@code vector_field} their embedded features are written to.
     */
    static ObjectParser<Builder, Void> parser(String name, FeatureField.Side side, boolean withVectorField) {
        String path = name + ".features";
        ConstructingObjectParser<Feature, Void> feature = new ConstructingObjectParser<>("features", a -> {
            String featureName = BodyParsing.nonEmpty(path + ".name", (String) a[0]);
            FeatureField.Transform transform;
            try {
                transform = a[2] != null ? new FeatureField.Split((String) a[2])
                    : a[3] != null ? new FeatureField.Prefix((Integer) a[3])
                    : a[4] != null ? new FeatureField.Buckets(toDoubles(a[4]))
                    : new FeatureField.Keyword();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + path + "] [" + featureName + "] " + e.getMessage(), e);
            }
            return new Feature(new FeatureField(featureName, side, transform), a[1] == null ? featureName : (String) a[1]);
        });
        feature.declareString(constructorArg(), new ParseField("name"));
        feature.declareString(optionalConstructorArg(), new ParseField("field"));
        feature.declareString(optionalConstructorArg(), new ParseField("split"));
        feature.declareInt(optionalConstructorArg(), new ParseField("prefix"));
        feature.declareDoubleArray(optionalConstructorArg(), new ParseField("buckets"));
        feature.declareExclusiveFieldSet("split", "prefix", "buckets");

        ObjectParser<Builder, Void> parser = new ObjectParser<>(name, Builder::new);
        parser.declareString((b, v) -> b.index = BodyParsing.nonEmpty(name + ".index", v), new ParseField("index"));
        parser.declareString((b, v) -> b.idField = BodyParsing.nonEmpty(name + ".id_field", v), new ParseField("id_field"));
        parser.declareObjectArray((b, v) -> b.features = v, feature, new ParseField("features"));
        if (withVectorField) {
            parser.declareString((b, v) -> b.vectorField = BodyParsing.nonEmpty(name + ".vector_field", v), new ParseField("vector_field"));
        }
        parser.declareRequiredFieldSet("index");
        return parser;
    }

    @SuppressWarnings("unchecked")
    private static double[] toDoubles(Object list) {
        return ((List<Double>) list).stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** One side's object as it was sent. */
    static final class Builder {
        private String index;
        private String idField = FactorTarget.ID;
        private String vectorField;
        private List<Feature> features = List.of();

        /** @param path where the object is, for the error when it names no feature */
        FeatureSource build(String path) {
            if (features.isEmpty()) {
                throw new IllegalArgumentException(
                    "[" + path + ".features] is required: list the model's features and the fields they are read from"
                );
            }
            return new FeatureSource(index, idField, List.copyOf(features));
        }

        String vectorField(String otherwise) {
            return vectorField == null ? otherwise : vectorField;
        }
    }

    public List<FeatureField> fields() {
        return features.stream().map(Feature::feature).toList();
    }

    /** The document fields to fetch from {@code _source}, each once. */
    List<String> sourceFields() {
        return features.stream().map(Feature::field).distinct().toList();
    }

    /** A scanned document's id, or null when it has none. */
    String id(SearchHit hit) {
        return FactorTarget.externalId(idField, hit);
    }

    /**
     * A document's raw features by feature name: every scalar under the feature's field, as text (numbers as JSON
     * writes them). A feature without a value is left out.
     */
    Map<String, List<String>> raw(Map<String, Object> source) {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        for (Feature f : features) {
            List<String> values = new ArrayList<>();
            for (Object v : XContentMapValues.extractRawValues(f.field(), source)) {
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    values.add(v.toString());
                }
            }
            if (values.isEmpty() == false) {
                raw.put(f.feature().name(), values);
            }
        }
        return raw;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("index", index).field("id_field", idField).startArray("features");
        for (Feature f : features) {
            builder.startObject().field("name", f.feature().name()).field("field", f.field());
            FeatureField.Transform t = f.feature().transform();
            if (t instanceof FeatureField.Split split) {
                builder.field("split", split.separator());
            } else if (t instanceof FeatureField.Prefix prefix) {
                builder.field("prefix", prefix.length());
            } else if (t instanceof FeatureField.Buckets buckets) {
                builder.array("buckets", buckets.bounds());
            }
            builder.endObject();
        }
        return builder.endArray();
    }
}

package org.recsys.plugin.training;

import org.elasticsearch.common.xcontent.support.XContentMapValues;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.melu.FeatureField;
import org.recsys.plugin.util.RequestBody;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    static final Set<String> FEATURE_FIELDS = Set.of("name", "field", "split", "prefix", "buckets");

    static FeatureSource parse(RequestBody body, FeatureField.Side side) {
        List<Feature> features = new ArrayList<>();
        for (RequestBody f : body.objects("features", FEATURE_FIELDS)) {
            String name = f.requiredString("name");
            int transforms = (f.has("split") ? 1 : 0) + (f.has("prefix") ? 1 : 0) + (f.has("buckets") ? 1 : 0);
            if (transforms > 1) {
                throw new IllegalArgumentException("[" + f.path() + "] has more than one of [split, prefix, buckets]");
            }
            FeatureField.Transform transform;
            try {
                if (f.has("split")) {
                    transform = new FeatureField.Split(f.string("split", null));
                } else if (f.has("prefix")) {
                    transform = new FeatureField.Prefix(f.integer("prefix", 0));
                } else if (f.has("buckets")) {
                    transform = new FeatureField.Buckets(f.numbers("buckets"));
                } else {
                    transform = new FeatureField.Keyword();
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + f.path() + "] " + e.getMessage(), e);
            }
            features.add(new Feature(new FeatureField(name, side, transform), f.string("field", name)));
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("[" + body.name("features") + "] is required: list the model's features and the fields they are read from");
        }
        return new FeatureSource(body.requiredString("index"), body.string("id_field", FactorTarget.ID), List.copyOf(features));
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

package org.recsys.core.melu;

import org.recsys.core.data.IdIndex;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The known values of every feature of a {@link FeatureSchema}, each one an embedding row. Rows are numbered feature
 * after feature in schema order, values in order of first appearance, so the same inputs give the same rows.
 */
public final class FeatureVocabulary {

    private final FeatureSchema schema;
    private final IdIndex[] values;
    private final int[] offsets;

    private FeatureVocabulary(FeatureSchema schema, IdIndex[] values) {
        this.schema = schema;
        this.values = values;
        this.offsets = new int[values.length + 1];
        for (int f = 0; f < values.length; f++) {
            offsets[f + 1] = offsets[f] + values[f].size();
        }
    }

    /** A vocabulary of exactly these values per feature (normalised values, as {@link #values} returns them). */
    public static FeatureVocabulary of(FeatureSchema schema, List<List<String>> valuesByField) {
        if (valuesByField.size() != schema.fields().size()) {
            throw new IllegalArgumentException("[" + valuesByField.size() + "] value lists for [" + schema.fields().size() + "] features");
        }
        IdIndex[] values = new IdIndex[valuesByField.size()];
        for (int f = 0; f < values.length; f++) {
            values[f] = new IdIndex();
            valuesByField.get(f).forEach(values[f]::add);
        }
        return new FeatureVocabulary(schema, values);
    }

    /** Collects the values of raw feature maps, for {@link #build}. */
    public static final class Builder {
        private final FeatureSchema schema;
        private final IdIndex[] seen;

        public Builder(FeatureSchema schema) {
            this.schema = schema;
            this.seen = new IdIndex[schema.fields().size()];
            Arrays.setAll(seen, f -> new IdIndex());
        }

        /** Adds the values of one user's or item's raw features (feature name to raw values); unknown names are an error. */
        public Builder add(FeatureField.Side side, Map<String, List<String>> raw) {
            for (Map.Entry<String, List<String>> e : raw.entrySet()) {
                int f = schema.index(side, e.getKey());
                schema.fields().get(f).normalise(e.getValue()).forEach(seen[f]::add);
            }
            return this;
        }

        public FeatureVocabulary build() {
            return new FeatureVocabulary(schema, seen.clone());
        }
    }

    public FeatureSchema schema() {
        return schema;
    }

    /** Embedding rows of all features together. */
    public int rows() {
        return offsets[offsets.length - 1];
    }

    /** The values of the feature at {@code index} of {@link FeatureSchema#fields()}. */
    public List<String> values(int index) {
        return values[index].ids();
    }

    /**
     * The rows of one user's or item's raw features (feature name to raw values). A name that is not a feature of
     * {@code side} is an error; a value not in the vocabulary is skipped and counted.
     */
    public EncodedFeatures encode(FeatureField.Side side, Map<String, List<String>> raw) {
        List<FeatureField> fields = schema.of(side);
        int first = side == FeatureField.Side.USER ? 0 : schema.of(FeatureField.Side.USER).size();
        for (String name : raw.keySet()) {
            schema.index(side, name);
        }
        int[] starts = new int[fields.size() + 1];
        int[] rows = new int[8];
        int n = 0;
        int unknown = 0;
        for (int f = 0; f < fields.size(); f++) {
            FeatureField field = fields.get(f);
            starts[f] = n;
            List<String> given = raw.get(field.name());
            if (given == null) {
                continue;
            }
            IdIndex index = values[first + f];
            for (String value : field.normalise(given)) {
                int local = index.indexOf(value);
                if (local < 0) {
                    unknown++;
                    continue;
                }
                if (n == rows.length) {
                    rows = Arrays.copyOf(rows, 2 * n);
                }
                rows[n++] = offsets[first + f] + local;
            }
        }
        starts[fields.size()] = n;
        return new EncodedFeatures(Arrays.copyOf(rows, n), starts, unknown);
    }
}

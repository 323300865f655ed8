package org.recsys.core.melu;

import org.recsys.core.data.IdIndex;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The known values of every {@link FeatureField}, each one an embedding row. Rows are numbered field after field
 * in {@link FeatureField} order, values in order of first appearance, so the same inputs give the same rows.
 */
public final class FeatureVocabulary {

    private final Map<FeatureField, IdIndex> values = new EnumMap<>(FeatureField.class);
    private final int[] offsets = new int[FeatureField.values().length + 1];

    private FeatureVocabulary(Map<FeatureField, List<String>> valuesByField) {
        int row = 0;
        for (FeatureField f : FeatureField.values()) {
            IdIndex index = new IdIndex();
            valuesByField.getOrDefault(f, List.of()).forEach(index::add);
            values.put(f, index);
            offsets[f.ordinal()] = row;
            row += index.size();
        }
        offsets[offsets.length - 1] = row;
    }

    /** A vocabulary of exactly these values per field (normalised values, as {@link #values} returns them). */
    public static FeatureVocabulary of(Map<FeatureField, List<String>> valuesByField) {
        return new FeatureVocabulary(valuesByField);
    }

    /** Collects the values of raw feature maps, for {@link #build}. */
    public static final class Builder {
        private final Map<FeatureField, IdIndex> seen = new EnumMap<>(FeatureField.class);

        public Builder add(FeatureField.Side side, Map<String, List<String>> raw) {
            for (Map.Entry<String, List<String>> e : raw.entrySet()) {
                FeatureField field = FeatureField.fromId(side, e.getKey());
                IdIndex index = seen.computeIfAbsent(field, f -> new IdIndex());
                field.normalise(e.getValue()).forEach(index::add);
            }
            return this;
        }

        public FeatureVocabulary build() {
            Map<FeatureField, List<String>> byField = new EnumMap<>(FeatureField.class);
            seen.forEach((f, index) -> byField.put(f, index.ids()));
            return new FeatureVocabulary(byField);
        }
    }

    /** Embedding rows of all fields together. */
    public int rows() {
        return offsets[offsets.length - 1];
    }

    public List<String> values(FeatureField field) {
        return values.get(field).ids();
    }

    /**
     * The rows of one user's or item's raw features ({@link FeatureField#id} to raw values). A field name not of
     * {@code side} is an error; a value not in the vocabulary is skipped and counted.
     */
    public EncodedFeatures encode(FeatureField.Side side, Map<String, List<String>> raw) {
        List<FeatureField> fields = FeatureField.of(side);
        for (String name : raw.keySet()) {
            FeatureField.fromId(side, name);
        }
        int[] starts = new int[fields.size() + 1];
        int[] rows = new int[8];
        int n = 0;
        int unknown = 0;
        for (int f = 0; f < fields.size(); f++) {
            FeatureField field = fields.get(f);
            starts[f] = n;
            List<String> given = raw.get(field.id());
            if (given == null) {
                continue;
            }
            IdIndex index = values.get(field);
            for (String value : field.normalise(given)) {
                int local = index.indexOf(value);
                if (local < 0) {
                    unknown++;
                    continue;
                }
                if (n == rows.length) {
                    rows = Arrays.copyOf(rows, 2 * n);
                }
                rows[n++] = offsets[field.ordinal()] + local;
            }
        }
        starts[fields.size()] = n;
        return new EncodedFeatures(Arrays.copyOf(rows, n), starts, unknown);
    }
}

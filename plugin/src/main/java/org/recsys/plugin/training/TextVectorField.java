package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.search.SearchHit;
import org.recsys.plugin.util.VectorsInSource;

import java.util.Map;

/** Reads the items' text vectors (what the projection maps from and content profiles average): a {@code dense_vector} field. */
final class TextVectorField {

    private TextVectorField() {}

    /**
     * The field's number of dims; refuses a field that is not a {@code dense_vector} of float elements.
     *
     * @param param the request parameter that named the field, for errors
     */
    static int dims(Client client, String index, String field, String param) {
        var mappings = client.admin().indices().prepareGetFieldMappings(index).setFields(field).get().mappings();
        Integer dims = null;
        for (var fields : mappings.values()) {
            var mapping = fields.get(field);
            if (mapping == null) {
                continue;
            }
            Object leaf = mapping.sourceAsMap().values().stream().findFirst().orElse(Map.of());
            Map<?, ?> m = (Map<?, ?>) leaf;
            Object elementType = m.get("element_type");
            if ("dense_vector".equals(m.get("type")) == false
                || m.get("dims") instanceof Number == false
                || (elementType != null && "float".equals(elementType) == false)) {
                throw new IllegalArgumentException(
                    "[" + param + "] [" + field + "] of index [" + index + "] is mapped as " + m + "; expected a dense_vector of floats"
                );
            }
            dims = ((Number) m.get("dims")).intValue();
        }
        if (dims == null) {
            throw new IllegalArgumentException("[" + param + "] [" + field + "] is not mapped in index [" + index + "]");
        }
        return dims;
    }

    /** The document's vector, or null when it has none. */
    static float[] of(SearchHit hit, String field, int dims) {
        return VectorsInSource.read(hit.getSourceAsMap(), field, dims);
    }
}

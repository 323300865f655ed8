package org.recsys.plugin.serving;

import org.elasticsearch.test.ESTestCase;
import org.recsys.plugin.training.FactorWriter;
import org.recsys.plugin.training.TrainingSpecs;
import org.recsys.plugin.training.WalsTrainingSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a served version's answers read their item ids, where queries find given items, and what the projection
 * processor writes: by {@code _id} and its doc-values copy, or by the items' own id field, which nothing overwrites.
 */
public class ServedWalsTests extends ESTestCase {

    private static final Map<String, Object> METRICS = Map.of(FactorWriter.ITEM_ID_FIELD_METRIC, "ml_factor_a_id");

    private static ServedWals served(Map<String, Object> items, Map<String, Object> metrics) {
        Map<String, Object> body = new HashMap<>();
        body.put("interactions", new HashMap<>(Map.of("index", "ratings")));
        body.put("items", new HashMap<>(items));
        body.put("users", new HashMap<>(Map.of("index", "people")));
        WalsTrainingSpec spec = (WalsTrainingSpec) TrainingSpecs.parse("ml", body, 1);
        return new ServedWals(
            "ml",
            1,
            "a",
            spec,
            new double[0],
            1f,
            1f,
            null,
            null,
            null,
            VersionFields.itemIdField(spec.items(), metrics),
            0
        );
    }

    public void testItemsKeyedByIdAreAnsweredFromTheCopyAndFoundByIds() {
        ServedWals served = served(Map.of("index", "movies"), METRICS);
        assertEquals("ml_factor_a_id", served.fields().itemIdField());
        assertEquals("_id", served.fields().itemKeyField());
        assertEquals("ml_factor_a_id", served.documentIdCopyField());
        assertEquals("ids", served.fields().itemsQuery(List.of("50")).getName());
    }

    public void testAVersionWithoutTheCopyReadsStoredIds() {
        ServedWals served = served(Map.of("index", "movies"), Map.of());
        assertNull(served.fields().itemIdField());
        assertNull(served.documentIdCopyField());
    }

    public void testItemsKeyedByTheirOwnFieldAreAnsweredAndFoundByItAndTheProcessorLeavesItAlone() {
        ServedWals served = served(Map.of("index", "movies", "id_field", "movie_id"), METRICS);
        assertEquals("movie_id", served.fields().itemIdField());
        assertEquals("movie_id", served.fields().itemKeyField());
        assertNull(served.documentIdCopyField());
        assertEquals("terms", served.fields().itemsQuery(List.of("50")).getName());
    }
}

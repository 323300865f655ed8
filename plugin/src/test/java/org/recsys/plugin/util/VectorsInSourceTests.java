package org.recsys.plugin.util;

import org.elasticsearch.test.ESTestCase;

import java.util.List;
import java.util.Map;

/** A vector is found at its field path however the source spells the path, as Elasticsearch reads it for the mapping. */
public class VectorsInSourceTests extends ESTestCase {

    private static final List<Object> VECTOR = List.of(1.5, -2, 0.25f);

    public void testATopLevelField() {
        assertArrayEquals(new float[]{ 1.5f, -2f, 0.25f }, VectorsInSource.read(Map.of("factor_a", VECTOR), "factor_a", 3), 0f);
    }

    public void testAPathThroughObjects() {
        Map<String, Object> source = Map.of("recsys", Map.of("user", Map.of("factor", VECTOR)));
        assertArrayEquals(new float[]{ 1.5f, -2f, 0.25f }, VectorsInSource.read(source, "recsys.user.factor"), 0f);
    }

    public void testAPathNamedWithDotsWholeOrInPart() {
        assertNotNull(VectorsInSource.read(Map.of("recsys.user.factor", VECTOR), "recsys.user.factor", 3));
        assertNotNull(VectorsInSource.read(Map.of("recsys", Map.of("user.factor", VECTOR)), "recsys.user.factor", 3));
        assertNotNull(VectorsInSource.read(Map.of("recsys.user", Map.of("factor", VECTOR)), "recsys.user.factor", 3));
    }

    /** An object on the way that lacks the rest of the path does not hide a dotted key that has it. */
    public void testAnObjectWithoutTheRestOfThePathDoesNotHideADottedKey() {
        Map<String, Object> source = Map.of("recsys", Map.of("other", VECTOR), "recsys.factor", VECTOR);
        assertNotNull(VectorsInSource.read(source, "recsys.factor", 3));
    }

    public void testNoVectorWhereThereIsNone() {
        assertNull(VectorsInSource.read(Map.of("factor_a", VECTOR), "factor_b", 3));
        assertNull(VectorsInSource.read(Map.of("factor_a", VECTOR), "factor_a", 4));
        assertNull(VectorsInSource.read(Map.of("factor_a", List.of(1, "x", 2)), "factor_a"));
        assertNull(VectorsInSource.read(Map.of("factor_a", List.of()), "factor_a"));
        assertNull(VectorsInSource.read(Map.of("factor", Map.of("a", 1)), "factor.a.b"));
    }
}

package org.recsys.plugin.store;

import org.elasticsearch.test.ESTestCase;

import java.util.List;

public class BlobCodecTests extends ESTestCase {

    public void testArraysSurviveTheirBytes() {
        float[] floats = { 0f, -1.5f, Float.MIN_VALUE, 3.4e38f, 1e-7f };
        assertArrayEquals(floats, BlobCodec.toFloats(BlobCodec.floats(floats)), 0f);
        double[] doubles = { 0, -2.25, Math.PI, 1e300 };
        assertArrayEquals(doubles, BlobCodec.toDoubles(BlobCodec.doubles(doubles)), 0);
        List<String> ids = List.of("1", "", "Ünïcödé", "a\nb", "x".repeat(1000));
        assertEquals(ids, BlobCodec.toStrings(BlobCodec.strings(ids)));
        assertEquals(List.of(), BlobCodec.toStrings(BlobCodec.strings(List.of())));
    }
}

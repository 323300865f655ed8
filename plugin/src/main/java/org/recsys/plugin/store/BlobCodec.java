package org.recsys.plugin.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Arrays as the bytes of store blobs: little-endian floats and doubles, and ids as length-prefixed UTF-8. */
public final class BlobCodec {

    private BlobCodec() {}

    public static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    public static float[] toFloats(byte[] bytes) {
        float[] out = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public static byte[] doubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    public static double[] toDoubles(byte[] bytes) {
        double[] out = new double[bytes.length / Double.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    public static byte[] strings(List<String> values) {
        int size = Integer.BYTES;
        List<byte[]> encoded = new ArrayList<>(values.size());
        for (String v : values) {
            byte[] e = v.getBytes(StandardCharsets.UTF_8);
            encoded.add(e);
            size += Integer.BYTES + e.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(values.size());
        for (byte[] e : encoded) {
            b.putInt(e.length).put(e);
        }
        return b.array();
    }

    public static List<String> toStrings(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] e = new byte[b.getInt()];
            b.get(e);
            out.add(new String(e, StandardCharsets.UTF_8));
        }
        return out;
    }
}

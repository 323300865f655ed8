package org.recsys.core.sequential;

import org.recsys.core.baseline.TransitionCounts;
import org.recsys.core.data.IdIndex;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A sequential model as bytes, for a model store or a file: magic {@code RSEQ}, format version, the shape (items,
 * hidden, layers, heads, max length, then whether attention is causal), the item ids, every tensor of {@link ModelShape#parameters()} in order as
 * big-endian floats, the transition fusion (its weight, each item's number of successors, then every successor and
 * every count), and a CRC32 of all that. Reading checks each part, so a truncated or corrupt blob is a clear error.
 */
public final class SequentialModelFile {

    private static final int MAGIC = 0x52534551; // "RSEQ"
    /**
     * 2 adds the attention (causal or not) after the shape, 3 the transition fusion after the tensors; a version 1
     * file is a masked model, and files before 3 have no fusion.
     */
    private static final int VERSION = 3;
    /** Guards against allocating from a corrupt header. */
    private static final int MAX_ITEMS = 100_000_000;

    private SequentialModelFile() {}

    public static void write(SequentialModel model, OutputStream stream) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(stream), new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        ModelShape shape = model.shape();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        for (int v : new int[]{ shape.items(), shape.hidden(), shape.layers(), shape.heads(), shape.maxLength() }) {
            out.writeInt(v);
        }
        out.writeBoolean(shape.causal());
        for (int i = 0; i < shape.items(); i++) {
            out.writeUTF(model.items().id(i));
        }
        for (ModelShape.Tensor t : shape.parameters()) {
            for (float f : model.parameter(t.name())) {
                out.writeFloat(f);
            }
        }
        TransitionFusion fusion = model.fusion();
        TransitionCounts rows = fusion.rows();
        out.writeFloat(fusion.weight());
        for (int i = 0; i < shape.items(); i++) {
            out.writeInt(rows.rowEnd(i) - rows.rowStart(i));
        }
        for (int at = 0; at < rows.pairs(); at++) {
            out.writeInt(rows.successor(at));
        }
        for (int at = 0; at < rows.pairs(); at++) {
            out.writeInt(rows.countAt(at));
        }
        out.flush();
        new DataOutputStream(stream).writeLong(checked.getChecksum().getValue());
        stream.flush();
    }

    public static SequentialModel read(InputStream stream) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(stream), new CRC32());
        DataInputStream in = new DataInputStream(checked);
        try {
            if (in.readInt() != MAGIC) {
                throw corrupt("it does not start with RSEQ");
            }
            int version = in.readInt();
            if (version < 1 || version > VERSION) {
                throw corrupt("format version [" + version + "] is not supported; expected 1 to " + VERSION);
            }
            int items = in.readInt();
            if (items < 1 || items > MAX_ITEMS) {
                throw corrupt("item count [" + items + "] is out of range");
            }
            int hidden = in.readInt(), layers = in.readInt(), heads = in.readInt(), maxLength = in.readInt();
            ModelShape shape = new ModelShape(items, hidden, layers, heads, maxLength, version >= 2 && in.readBoolean());
            IdIndex ids = new IdIndex();
            for (int i = 0; i < items; i++) {
                String id = in.readUTF();
                if (ids.add(id) != i) {
                    throw corrupt("item id [" + id + "] appears twice");
                }
            }
            Map<String, float[]> parameters = new LinkedHashMap<>();
            for (ModelShape.Tensor t : shape.parameters()) {
                float[] values = new float[t.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.readFloat();
                }
                parameters.put(t.name(), values);
            }
            TransitionFusion fusion = version >= 3 ? readFusion(in, items) : TransitionFusion.none(items);
            long computed = checked.getChecksum().getValue();
            if (new DataInputStream(checked).readLong() != computed) {
                throw corrupt("its checksum does not match its contents");
            }
            return new SequentialModel(shape, ids, parameters, fusion);
        } catch (EOFException e) {
            throw corrupt("it ends early");
        } catch (IllegalArgumentException e) {
            throw corrupt(e.getMessage());
        }
    }

    private static TransitionFusion readFusion(DataInputStream in, int items) throws IOException {
        float weight = in.readFloat();
        int[] offsets = new int[items + 1];
        for (int i = 0; i < items; i++) {
            int length = in.readInt();
            if (length < 0 || length > TransitionFusion.MAX_SUCCESSORS) {
                throw corrupt("item [" + i + "] has [" + length + "] successors; expected 0 to " + TransitionFusion.MAX_SUCCESSORS);
            }
            offsets[i + 1] = offsets[i] + length;
        }
        int[] successors = new int[offsets[items]];
        int[] counts = new int[offsets[items]];
        for (int at = 0; at < successors.length; at++) {
            successors[at] = in.readInt();
        }
        for (int at = 0; at < counts.length; at++) {
            counts[at] = in.readInt();
        }
        return new TransitionFusion(weight, new TransitionCounts(offsets, successors, counts));
    }

    /** The model's bytes, as {@link #write} writes them: what a model store keeps. */
    public static byte[] toBytes(SequentialModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(model, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads {@link #toBytes}'s bytes; corrupt or truncated bytes are an IOException that says what is wrong. */
    public static SequentialModel fromBytes(byte[] bytes) throws IOException {
        return read(new ByteArrayInputStream(bytes));
    }

    private static IOException corrupt(String why) {
        return new IOException("not a valid sequential model: " + why);
    }
}

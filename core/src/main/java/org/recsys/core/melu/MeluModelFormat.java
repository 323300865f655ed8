package org.recsys.core.melu;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A model as bytes, for a model store: sizes, local step settings, rating scale, the vocabulary, the item
 * catalogue's encoded features and the parameters. Big-endian ({@link DataOutputStream}); about 4 bytes per
 * parameter. Reading checks every size and index, so corrupt bytes fail with a message instead of a bad model.
 */
public final class MeluModelFormat {

    private static final int MAGIC = 0x4D454C55; // "MELU"
    private static final int VERSION = 1;
    private static final int MAX_COUNT = 1 << 28;

    private MeluModelFormat() {}

    public static byte[] toBytes(MeluModel model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.params.length * 4 + 65536);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(model.layout.embeddings.dim());
            out.writeInt(model.layout.network.h1);
            out.writeInt(model.layout.network.h2);
            out.writeInt(model.localSteps);
            out.writeFloat(model.localLr);
            out.writeFloat(model.minRating);
            out.writeFloat(model.maxRating);
            for (FeatureField f : FeatureField.values()) {
                List<String> values = model.vocabulary.values(f);
                out.writeUTF(f.id());
                out.writeInt(values.size());
                for (String v : values) {
                    out.writeUTF(v);
                }
            }
            ItemCatalog catalog = model.catalog;
            out.writeInt(catalog.size());
            for (int i = 0; i < catalog.size(); i++) {
                EncodedFeatures features = catalog.features(i);
                out.writeUTF(catalog.id(i));
                writeInts(out, features.rows());
                writeInts(out, features.starts());
            }
            out.writeInt(model.params.length);
            for (float p : model.params) {
                out.writeFloat(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The model in {@code bytes}; anything malformed is an {@link IllegalArgumentException} saying what. */
    public static MeluModel fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a MeLU model: wrong magic number");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("MeLU model format version [" + version + "] is not supported; expected [" + VERSION + "]");
            }
            int dim = in.readInt();
            int h1 = in.readInt();
            int h2 = in.readInt();
            int localSteps = in.readInt();
            float localLr = in.readFloat();
            float minRating = in.readFloat();
            float maxRating = in.readFloat();
            Map<FeatureField, List<String>> values = new EnumMap<>(FeatureField.class);
            for (FeatureField f : FeatureField.values()) {
                String id = in.readUTF();
                if (id.equals(f.id()) == false) {
                    throw new IllegalArgumentException("MeLU model has feature [" + id + "] where [" + f.id() + "] was expected");
                }
                int n = count(in, "values of feature [" + id + "]");
                List<String> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(in.readUTF());
                }
                values.put(f, list);
            }
            FeatureVocabulary vocabulary = FeatureVocabulary.of(values);
            int items = count(in, "items");
            List<String> ids = new ArrayList<>(items);
            List<EncodedFeatures> features = new ArrayList<>(items);
            int itemFields = FeatureField.of(FeatureField.Side.ITEM).size();
            for (int i = 0; i < items; i++) {
                String id = in.readUTF();
                int[] rows = readInts(in);
                int[] starts = readInts(in);
                checkFeatures(id, rows, starts, itemFields, vocabulary.rows());
                ids.add(id);
                features.add(new EncodedFeatures(rows, starts, 0));
            }
            int n = count(in, "parameters");
            float[] params = new float[n];
            for (int i = 0; i < n; i++) {
                params[i] = in.readFloat();
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("not a MeLU model: bytes after the parameters");
            }
            return new MeluModel(dim, h1, h2, localSteps, localLr, minRating, maxRating, vocabulary, new ItemCatalog(ids, features), params);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a MeLU model: truncated (" + e.getMessage() + ")", e);
        }
    }

    private static void checkFeatures(String item, int[] rows, int[] starts, int fields, int vocabularyRows) {
        boolean ok = starts.length == fields + 1 && starts[0] == 0 && starts[fields] == rows.length;
        for (int f = 0; ok && f < fields; f++) {
            ok = starts[f] <= starts[f + 1];
        }
        for (int r = 0; ok && r < rows.length; r++) {
            ok = rows[r] >= 0 && rows[r] < vocabularyRows;
        }
        if (ok == false) {
            throw new IllegalArgumentException("MeLU model has malformed features for item [" + item + "]");
        }
    }

    private static int count(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_COUNT) {
            throw new IllegalArgumentException("MeLU model has [" + n + "] " + what);
        }
        return n;
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] values = new int[count(in, "indices")];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }
}

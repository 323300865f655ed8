package org.recsys.core.melu;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model as bytes, for a model store: sizes, local step settings, rating scale, the vocabulary, the item
 * catalogue's encoded features and the parameters. Big-endian ({@link DataOutputStream}); about 4 bytes per
 * parameter. Reading checks every size and index, so corrupt bytes fail with a message instead of a bad model.
 */
public final class MeluModelFormat {

    private static final int MAGIC = 0x4D454C55; // "MELU"
    /** 2: features named and transformed by the model (1 had MovieLens's eight, fixed). */
    private static final int VERSION = 2;
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
            List<FeatureField> fields = model.schema().fields();
            out.writeInt(fields.size());
            for (int f = 0; f < fields.size(); f++) {
                writeField(out, fields.get(f));
                List<String> values = model.vocabulary.values(f);
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
                throw new IllegalArgumentException(
                    "MeLU model format version [" + version + "] is not supported; expected [" + VERSION + "]"
                );
            }
            int dim = in.readInt();
            int h1 = in.readInt();
            int h2 = in.readInt();
            int localSteps = in.readInt();
            float localLr = in.readFloat();
            float minRating = in.readFloat();
            float maxRating = in.readFloat();
            int fieldCount = count(in, "features");
            List<FeatureField> fields = new ArrayList<>(fieldCount);
            List<List<String>> values = new ArrayList<>(fieldCount);
            for (int f = 0; f < fieldCount; f++) {
                FeatureField field = readField(in);
                int n = count(in, "values of feature [" + field.name() + "]");
                List<String> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(in.readUTF());
                }
                fields.add(field);
                values.add(list);
            }
            List<FeatureField> user = fields.stream().filter(f -> f.side() == FeatureField.Side.USER).toList();
            List<FeatureField> item = fields.stream().filter(f -> f.side() == FeatureField.Side.ITEM).toList();
            FeatureSchema schema = FeatureSchema.of(user, item);
            if (schema.fields().equals(fields) == false) {
                throw new IllegalArgumentException("MeLU model lists item features before user features");
            }
            FeatureVocabulary vocabulary = FeatureVocabulary.of(schema, values);
            int items = count(in, "items");
            List<String> ids = new ArrayList<>(items);
            List<EncodedFeatures> features = new ArrayList<>(items);
            int itemFields = item.size();
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
            return new MeluModel(
                dim,
                h1,
                h2,
                localSteps,
                localLr,
                minRating,
                maxRating,
                vocabulary,
                new ItemCatalog(ids, features),
                params
            );
        } catch (IOException e) {
            throw new IllegalArgumentException("not a MeLU model: truncated (" + e.getMessage() + ")", e);
        }
    }

    private static final byte KEYWORD = 0;
    private static final byte SPLIT = 1;
    private static final byte PREFIX = 2;
    private static final byte BUCKETS = 3;

    private static void writeField(DataOutputStream out, FeatureField field) throws IOException {
        out.writeUTF(field.name());
        out.writeByte(field.side().ordinal());
        FeatureField.Transform t = field.transform();
        if (t instanceof FeatureField.Split split) {
            out.writeByte(SPLIT);
            out.writeUTF(split.separator());
        } else if (t instanceof FeatureField.Prefix prefix) {
            out.writeByte(PREFIX);
            out.writeInt(prefix.length());
        } else if (t instanceof FeatureField.Buckets buckets) {
            out.writeByte(BUCKETS);
            out.writeInt(buckets.bounds().length);
            for (double b : buckets.bounds()) {
                out.writeDouble(b);
            }
        } else {
            out.writeByte(KEYWORD);
        }
    }

    private static FeatureField readField(DataInputStream in) throws IOException {
        String name = in.readUTF();
        int side = in.readByte();
        if (side < 0 || side >= FeatureField.Side.values().length) {
            throw new IllegalArgumentException("MeLU model has feature [" + name + "] of unknown side [" + side + "]");
        }
        byte kind = in.readByte();
        FeatureField.Transform transform = switch (kind) {
            case KEYWORD -> new FeatureField.Keyword();
            case SPLIT -> new FeatureField.Split(in.readUTF());
            case PREFIX -> new FeatureField.Prefix(in.readInt());
            case BUCKETS -> {
                double[] bounds = new double[count(in, "bucket bounds of feature [" + name + "]")];
                for (int i = 0; i < bounds.length; i++) {
                    bounds[i] = in.readDouble();
                }
                yield new FeatureField.Buckets(bounds);
            }
            default -> throw new IllegalArgumentException("MeLU model has feature [" + name + "] of unknown kind [" + kind + "]");
        };
        return new FeatureField(name, FeatureField.Side.values()[side], transform);
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

package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code model.safetensors} file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the data. The header is checked against the file before any tensor is read, so a
 * corrupt file is a clear error rather than a huge allocation; tensors are read one at a time and copied into
 * memory PyTorch owns, so a model never pins its size in the JVM's direct memory.
 */
final class SafetensorsFile {

    /** Headers larger than this are not safetensors headers (real ones are kilobytes). */
    static final long MAX_HEADER_BYTES = 100L << 20;

    record Entry(String name, DataType dtype, Shape shape, long begin, long end) {}

    /** A float32 tensor to write: its shape and its values, row-major. */
    record Tensor(long[] shape, float[] data) {}

    private SafetensorsFile() {}

    static Map<String, Entry> header(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw corrupt(file, "it has " + size + " bytes");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 1 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
                throw corrupt(file, "its header length [" + headerLength + "] does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            JsonObject json;
            try {
                json = JsonParser.parseString(new String(headerBytes.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw corrupt(file, "its header is not a JSON object");
            }
            long dataSize = size - 8 - headerLength;
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataSize, 8 + headerLength));
            }
            return entries;
        }
    }

    private static Entry entry(Path file, String name, JsonElement value, long dataSize, long dataStart) {
        try {
            JsonObject o = value.getAsJsonObject();
            DataType dtype = switch (o.get("dtype").getAsString()) {
                case "F32" -> DataType.FLOAT32;
                case "F16" -> DataType.FLOAT16;
                case "BF16" -> DataType.BFLOAT16;
                default -> throw corrupt(
                    file,
                    "tensor [" + name + "] has dtype [" + o.get("dtype").getAsString() + "]; expected F32, F16 or BF16"
                );
            };
            long[] shape = new long[o.getAsJsonArray("shape").size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = o.getAsJsonArray("shape").get(i).getAsLong();
                elements *= shape[i];
            }
            long begin = o.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = o.getAsJsonArray("data_offsets").get(1).getAsLong();
            if (begin < 0 || end > dataSize || end - begin != elements * dtype.getNumOfBytes()) {
                throw corrupt(
                    file,
                    "tensor [" + name + "] claims bytes [" + begin + ", " + end + ") of " + dataSize + " for shape " + new Shape(shape)
                );
            }
            return new Entry(name, dtype, new Shape(shape), dataStart + begin, dataStart + end);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(file, "tensor [" + name + "] has a malformed header entry");
        }
    }

    /** Reads every tensor as float32, named as in the file, into memory owned by PyTorch and freed with {@code manager}. */
    static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        Map<String, Entry> entries = header(file);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Entry e : entries.values()) {
                ByteBuffer data = ByteBuffer.allocateDirect((int) (e.end() - e.begin())).order(ByteOrder.nativeOrder());
                readFully(channel, data, e.begin());
                data.flip();
                // create() wraps the direct buffer; the copy lives in PyTorch's memory and the buffer can be collected.
                try (NDArray wrapped = manager.create(data, e.shape(), e.dtype())) {
                    NDArray owned = e.dtype() == DataType.FLOAT32 ? wrapped.duplicate() : wrapped.toType(DataType.FLOAT32, true);
                    owned.setName(e.name());
                    tensors.put(e.name(), owned);
                }
            }
        }
        return tensors;
    }

    /** Writes float32 tensors (JSON header padded to 8 bytes, then little-endian data), in the map's order. */
    static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().data().length;
            if (header.length() > 1) {
                header.append(',');
            }
            header.append('"')
                .append(e.getKey())
                .append("\":{\"dtype\":\"F32\",\"shape\":")
                .append(java.util.Arrays.toString(e.getValue().shape()).replace(" ", ""))
                .append(",\"data_offsets\":[")
                .append(offset)
                .append(',')
                .append(offset + bytes)
                .append("]}");
            offset += bytes;
        }
        header.append('}');
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            for (Tensor t : tensors.values()) {
                ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.data());
                out.write(b.array());
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static IllegalArgumentException corrupt(Path file, String why) {
        return new IllegalArgumentException(file.getFileName() + " is not a valid safetensors file: " + why);
    }
}

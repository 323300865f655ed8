package org.recsys.plugin.serving;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorEncoding;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.index.query.SearchExecutionContext;

import java.io.IOException;

/** Float vectors read at query time from Lucene's per-segment vector values, never from {@code _source}. */
public final class IndexedVectorReader {

    private IndexedVectorReader() {}

    /** Checks on a shard that {@code field} is an indexed {@code dense_vector}; {@code what} says who needs it. */
    public static void checkMapping(SearchExecutionContext context, String field, String what) {
        MappedFieldType type = context.getFieldType(field);
        if (type instanceof DenseVectorFieldMapper.DenseVectorFieldType == false || type.isIndexed() == false) {
            throw new IllegalArgumentException(
                what
                    + " ["
                    + field
                    + "] is "
                    + (type == null ? "not mapped" : "of type [" + type.typeName() + "]")
                    + " in this index; it must be an indexed [dense_vector] field"
            );
        }
    }

    /**
     * The segment's vectors of {@code field}, or null when no document of the segment has one. The segment's
     * {@code FieldInfo} is the ground truth of what is stored: another size or encoding is an error naming both.
     */
    @Nullable
    public static FloatVectorValues open(LeafReader reader, String field, int dims) throws IOException {
        FieldInfo info = reader.getFieldInfos().fieldInfo(field);
        if (info == null || info.getVectorDimension() == 0) {
            return null;
        }
        if (info.getVectorEncoding() != VectorEncoding.FLOAT32 || info.getVectorDimension() != dims) {
            throw new IllegalArgumentException(
                "field ["
                    + field
                    + "] holds "
                    + info.getVectorDimension()
                    + " "
                    + info.getVectorEncoding()
                    + " dimensions; "
                    + dims
                    + " float dimensions are needed there"
            );
        }
        return reader.getFloatVectorValues(field);
    }

    /** The vector of {@code doc}, or null when it has none; calls must come in increasing {@code doc} order. */
    @Nullable
    public static float[] at(@Nullable FloatVectorValues values, int doc) throws IOException {
        if (values == null) {
            return null;
        }
        int current = values.docID() < doc ? values.advance(doc) : values.docID();
        return current == doc ? values.vectorValue() : null;
    }
}

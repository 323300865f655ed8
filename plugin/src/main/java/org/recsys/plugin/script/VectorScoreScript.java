package org.recsys.plugin.script;

import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorEncoding;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenormalizedCosineFloatVectorValues;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.script.DocReader;
import org.elasticsearch.script.LeafReaderContextSupplier;
import org.elasticsearch.script.ScoreScript;
import org.elasticsearch.search.lookup.SearchLookup;
import org.recsys.core.vector.VectorSimilarity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Scores each document by the similarity of its {@code dense_vector} field to a query vector, plus an optional offset.
 * Vectors are read from Lucene's vector values, never from {@code _source}, so the field must be indexed.
 * <p>
 * Params: {@code field} (a float {@code dense_vector} with {@code index: true}), {@code query_vector} (numbers, as
 * many as the field has dimensions), {@code offset} (added to every similarity, default 0; Elasticsearch refuses
 * negative scores, so cosine wants an offset of 1). A document without a vector in the field scores exactly 0.
 */
final class VectorScoreScript extends ScoreScript {

    static final String FIELD = "field";
    static final String QUERY_VECTOR = "query_vector";
    static final String OFFSET = "offset";

    private final VectorSimilarity similarity;
    private final float[] query;
    private final double offset;
    private final String field;
    private final LeafReader reader;
    private final boolean denormalize;
    private FloatVectorValues vectors;
    private int doc;

    private VectorScoreScript(LeafFactory factory, DocReader docReader, LeafReader reader, FloatVectorValues vectors, boolean denormalize) {
        super(factory.params, factory.lookup, docReader);
        this.similarity = factory.similarity;
        this.query = factory.query;
        this.offset = factory.offset;
        this.field = factory.field;
        this.reader = reader;
        this.vectors = vectors;
        this.denormalize = denormalize;
    }

    @Override
    public void setDocument(int docid) {
        super.setDocument(docid);
        this.doc = docid;
    }

    @Override
    public double execute(ExplanationHolder explanation) {
        float[] vector = vectorOfCurrentDoc();
        if (vector == null) {
            if (explanation != null) {
                explanation.set("no vector in [" + field + "]: score 0");
            }
            return 0d;
        }
        double score = similarity.score(query, vector) + offset;
        if (explanation != null) {
            explanation.set(similarity.id() + "([" + field + "], query_vector) + offset " + offset);
        }
        return score;
    }

    private float[] vectorOfCurrentDoc() {
        if (vectors == null) {
            return null;
        }
        try {
            if (doc < vectors.docID()) {
                // The iterator only moves forward; explain and some collectors revisit earlier documents.
                vectors = openVectors(reader, field, denormalize);
            }
            int current = vectors.docID() < doc ? vectors.advance(doc) : vectors.docID();
            return current == doc ? vectors.vectorValue() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FloatVectorValues openVectors(LeafReader reader, String field, boolean denormalize) throws IOException {
        FloatVectorValues values = reader.getFloatVectorValues(field);
        if (values == null || denormalize == false) {
            return values;
        }
        // A cosine field stores unit vectors and the original length beside them; a dot product needs the original.
        NumericDocValues magnitudes = reader.getNumericDocValues(field + DenseVectorFieldMapper.COSINE_MAGNITUDE_FIELD_SUFFIX);
        return magnitudes == null ? values : new DenormalizedCosineFloatVectorValues(values, magnitudes);
    }

    /** One per script compilation: the scoring function. */
    static final class Factory implements ScoreScript.Factory {
        private final VectorSimilarity similarity;

        Factory(VectorSimilarity similarity) {
            this.similarity = similarity;
        }

        @Override
        public ScoreScript.LeafFactory newFactory(Map<String, Object> params, SearchLookup lookup) {
            return new LeafFactory(similarity, params, lookup);
        }

        @Override
        public boolean isResultDeterministic() {
            return true;
        }
    }

    /** One per shard and request: parses and checks the params against the mapping once. */
    static final class LeafFactory implements ScoreScript.LeafFactory {
        private final VectorSimilarity similarity;
        private final Map<String, Object> params;
        private final SearchLookup lookup;
        private final String field;
        private final float[] query;
        private final double offset;

        LeafFactory(VectorSimilarity similarity, Map<String, Object> params, SearchLookup lookup) {
            this.similarity = similarity;
            this.params = params;
            this.lookup = lookup;
            this.field = stringParam(params, FIELD);
            this.offset = numberParam(params, OFFSET, 0d);
            try {
                this.query = similarity.prepareQuery(ScriptParams.vector(params, QUERY_VECTOR));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + QUERY_VECTOR + "] for field [" + field + "]: " + e.getMessage(), e);
            }
            MappedFieldType fieldType = lookup.fieldType(field);
            if (fieldType == null) {
                throw new IllegalArgumentException("field [" + field + "] is not mapped; the [recsys] script needs a [dense_vector] field");
            }
            if (fieldType instanceof DenseVectorFieldMapper.DenseVectorFieldType == false) {
                throw new IllegalArgumentException(
                    "field [" + field + "] is of type [" + fieldType.typeName() + "]; the [recsys] script needs a [dense_vector] field"
                );
            }
            if (fieldType.isIndexed() == false) {
                throw new IllegalArgumentException(
                    "field [" + field + "] has [index: false]; the [recsys] script reads Lucene's vector values, so it needs [index: true]"
                );
            }
        }

        @Override
        public boolean needs_score() {
            return false;
        }

        @Override
        public boolean needs_termStats() {
            return false;
        }

        @Override
        public ScoreScript newInstance(DocReader docReader) throws IOException {
            LeafReader reader = ((LeafReaderContextSupplier) docReader).getLeafReaderContext().reader();
            FieldInfo info = reader.getFieldInfos().fieldInfo(field);
            FloatVectorValues vectors = null;
            boolean denormalize = similarity == VectorSimilarity.DOT_PRODUCT;
            if (info != null && info.getVectorDimension() > 0) {
                if (info.getVectorEncoding() != VectorEncoding.FLOAT32) {
                    throw new IllegalArgumentException(
                        "field [" + field + "] holds [" + info.getVectorEncoding() + "] vectors; the [recsys] script reads float vectors"
                    );
                }
                if (info.getVectorDimension() != query.length) {
                    throw new IllegalArgumentException(
                        "field ["
                            + field
                            + "] has ["
                            + info.getVectorDimension()
                            + "] dimensions but ["
                            + QUERY_VECTOR
                            + "] has ["
                            + query.length
                            + "]"
                    );
                }
                vectors = openVectors(reader, field, denormalize);
            }
            return new VectorScoreScript(this, docReader, reader, vectors, denormalize);
        }
    }

    private static String stringParam(Map<String, Object> params, String name) {
        Object value = params.get(name);
        if (value instanceof String s && s.isEmpty() == false) {
            return s;
        }
        throw new IllegalArgumentException("param [" + name + "] must be a non-empty string, got [" + value + "]");
    }

    private static double numberParam(Map<String, Object> params, String name, double defaultValue) {
        Object value = params.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("param [" + name + "] must be a finite number, got [" + value + "]");
    }
}

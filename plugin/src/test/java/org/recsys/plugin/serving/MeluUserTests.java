package org.recsys.plugin.serving;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.test.ESTestCase;
import org.recsys.core.melu.MeluScorer;

import java.io.IOException;
import java.util.List;

public class MeluUserTests extends ESTestCase {

    /** A user's network of 4 item inputs, 3 and 2 hidden units: 4·3 + 3 + 3·2 + 2 + 2 + 1 weights. */
    private static MeluScorer.State state() {
        float[] weights = new float[26];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) Math.sin(i + 1);
        }
        weights[weights.length - 1] = 3f;
        return new MeluScorer.State(4, 3, 2, 1f, 5f, weights);
    }

    private static MeluUser user() {
        return new MeluUser(
            new VersionFields("m", 3, "items", "emb_a", null, null, null, null, null, 0, null, "_id"),
            state(),
            true,
            List.of("i1"),
            List.of("gone"),
            1,
            2
        );
    }

    public void testTravelsToTheShardsUnchanged() throws IOException {
        MeluUser user = user();
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            user.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                assertEquals(user, new MeluUser(in));
            }
        }
        assertNull(user.queryVector());
        assertEquals("adapted", user.source());
        assertEquals(2, user.details().get("unknown_feature_values"));
    }

    /** Each document's score is the scorer's on its vector from Lucene; a document without one has none. */
    public void testScoresTheVectorsLuceneHolds() throws IOException {
        float[][] vectors = { { 1, 0, -1, 2 }, null, { 0.5f, 0.5f, 0.5f, 0.5f } };
        try (Directory dir = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
            for (float[] v : vectors) {
                Document doc = new Document();
                if (v != null) {
                    doc.add(new KnnFloatVectorField("emb_a", v, VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
                }
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                LeafReader leaf = reader.leaves().get(0).reader();
                ItemScorer scores = user().scorer(leaf);
                MeluScorer expected = new MeluScorer(state());
                assertEquals(expected.score(vectors[0], 0), scores.score(0), 0d);
                assertTrue(Double.isNaN(scores.score(1)));
                assertEquals(expected.score(vectors[2], 0), scores.score(2), 0d);
            }
        }
    }

    public void testAWrongStateIsRefused() {
        IllegalArgumentException e =
            expectThrows(IllegalArgumentException.class, () -> new MeluScorer.State(4, 3, 2, 1f, 5f, new float[25]));
        assertTrue(e.getMessage(), e.getMessage().contains("needs 26 weights"));
    }
}

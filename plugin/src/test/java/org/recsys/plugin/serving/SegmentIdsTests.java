package org.recsys.plugin.serving;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.store.Directory;
import org.elasticsearch.index.mapper.IdFieldMapper;
import org.elasticsearch.index.mapper.Uid;
import org.elasticsearch.test.ESTestCase;

import java.io.IOException;
import java.util.Map;

/** Items found in a segment by their id: the encoded {@code _id}, or the term of the items' own keyword id field. */
public class SegmentIdsTests extends ESTestCase {

    public void testItemsAreFoundByDocumentIdOrByTheirOwnIdField() throws IOException {
        try (Directory dir = newDirectory(); IndexWriter writer = new IndexWriter(dir, newIndexWriterConfig())) {
            for (String id : new String[]{ "7", "50", "172" }) {
                Document doc = new Document();
                doc.add(new StringField(IdFieldMapper.NAME, Uid.encodeId("doc-" + id), Field.Store.NO));
                doc.add(new StringField("movie_id", id, Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                LeafReader leaf = reader.leaves().get(0).reader();
                SegmentIds byDocument = SegmentIds.of(leaf, IdFieldMapper.NAME, Map.of("doc-50", 2f, "doc-9", 5f));
                assertEquals(0f, byDocument.get(0), 0f);
                assertEquals(2f, byDocument.get(1), 0f);
                assertEquals(0f, byDocument.get(2), 0f);
                SegmentIds byField = SegmentIds.of(leaf, "movie_id", Map.of("172", 3f, "50", 1f));
                assertEquals(0f, byField.get(0), 0f);
                assertEquals(1f, byField.get(1), 0f);
                assertEquals(3f, byField.get(2), 0f);
                assertEquals(0f, SegmentIds.of(leaf, "movie_id", Map.of("doc-50", 1f)).get(1), 0f);
            }
        }
    }
}

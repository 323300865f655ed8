package org.recsys.plugin.store;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.test.ESTestCase;

import java.util.HashMap;
import java.util.Map;

public class VersionRecordTests extends ESTestCase {

    public void testANewVersionIsWrittenInTheCurrentFormat() {
        VersionRecord v = new VersionRecord("m", 3, VersionRecord.Status.TRAINING, "a", Map.of(), Map.of(), null, null, 1, 0, Map.of());
        assertEquals(VersionRecord.FORMAT, v.format());
        assertEquals(VersionRecord.FORMAT, VersionRecord.fromSource(v.toSource()).format());
        assertEquals(VersionRecord.FORMAT, v.finished(VersionRecord.Status.COMPLETE, Map.of(), null, 2, Map.of()).format());
    }

    public void testADocumentWithoutAFormatIsFormatOne() {
        Map<String, Object> source = new HashMap<>(sample().toSource());
        source.remove("format");
        assertEquals(1, VersionRecord.fromSource(source).checkReadable().format());
    }

    public void testANewerFormatIsRefusedWithWhatToDo() {
        Map<String, Object> source = new HashMap<>(sample().toSource());
        source.put("format", VersionRecord.FORMAT + 1);
        VersionRecord newer = VersionRecord.fromSource(source);
        ElasticsearchStatusException e = expectThrows(ElasticsearchStatusException.class, newer::checkReadable);
        assertEquals(RestStatus.CONFLICT, e.status());
        assertEquals(
            "version [3] of model [m] is in store format ["
                + (VersionRecord.FORMAT + 1)
                + "], and this recsys plugin reads formats 1 to ["
                + VersionRecord.FORMAT
                + "]: install the recsys version that stored it (or a later one) on every node, or train the model again with POST _recsys/models/m/_train",
            e.getMessage()
        );
    }

    private static VersionRecord sample() {
        return new VersionRecord(
            "m",
            3,
            VersionRecord.Status.COMPLETE,
            "a",
            Map.of("type", "wals"),
            Map.of(),
            null,
            null,
            1,
            2,
            Map.of("ids", 1)
        );
    }
}

package org.recsys.plugin.store;

import org.elasticsearch.client.internal.Requests;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.plugin.RecsysNodeTestCase;

import java.util.Map;

/** The model store in a real single node: blobs larger than one document are split into chunks and read back whole. */
public class ModelStoreTests extends RecsysNodeTestCase {

    public void testABlobOfSeveralChunksComesBackWhole() {
        // The store writes in the node's default content type, JSON; the test framework draws one per class, and YAML
        // refuses documents over 3M code points (a chunk is 4 MB, 5.6M characters of base64).
        Requests.INDEX_CONTENT_TYPE = XContentType.JSON;
        ModelStore store = new ModelStore(client(), getInstanceFromNode(ClusterService.class));
        // Two full chunks and a few bytes: the last chunk is short, and no chunk may be lost, repeated or reordered.
        byte[] several = randomByteArrayOfLength(2 * ModelStore.CHUNK_BYTES + 17);
        byte[] one = randomByteArrayOfLength(ModelStore.CHUNK_BYTES);
        assertEquals(3, store.putBlob("m", 1, "factors", several));
        assertEquals(1, store.putBlob("m", 1, "ids", one));
        VersionRecord version = new VersionRecord(
            "m",
            1,
            VersionRecord.Status.COMPLETE,
            "a",
            Map.of(),
            Map.of(),
            null,
            null,
            0,
            0,
            Map.of("factors", 3, "ids", 1)
        );
        assertArrayEquals(several, store.blob(version, "factors"));
        assertArrayEquals(one, store.blob(version, "ids"));
    }
}

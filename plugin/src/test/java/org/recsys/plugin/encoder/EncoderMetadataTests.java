package org.recsys.plugin.encoder;

import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.test.ESTestCase;
import org.recsys.core.encoder.Pooling;

public class EncoderMetadataTests extends ESTestCase {

    /** A cluster without registrations holds no custom, so a node without the plugin can join it. */
    public void testTheLastDeletionRemovesTheCustom() {
        EncoderRegistration r = new EncoderRegistration("minilm", "minilm", Pooling.MEAN, true, 128);
        ClusterState registered = EncoderMetadata.update(ClusterState.builder(ClusterName.DEFAULT).build(), m -> m.with(r));
        assertEquals(r, EncoderMetadata.of(registered.metadata()).encoders().get("minilm"));
        assertNotNull(registered.metadata().custom(EncoderMetadata.TYPE));
        ClusterState deleted = EncoderMetadata.update(registered, m -> m.without("minilm"));
        assertNull(deleted.metadata().custom(EncoderMetadata.TYPE));
        assertEquals(0, EncoderMetadata.of(deleted.metadata()).encoders().size());
    }
}

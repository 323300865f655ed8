package org.recsys.plugin.encoder;

import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.common.Strings;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.recsys.core.encoder.Pooling;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

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

    /** The registrations as a node persists them read back, as at its next start: the custom is parsed at its object. */
    public void testRegistrationsSurviveTheirXContent() throws IOException {
        EncoderMetadata metadata = new EncoderMetadata(
            Map.of(
                "minilm",
                new EncoderRegistration("minilm", "minilm", Pooling.MEAN, true, 128),
                "cls",
                new EncoderRegistration("cls", "models/cls", Pooling.CLS, false, 64)
            )
        );
        String json;
        try (XContentBuilder b = XContentFactory.jsonBuilder()) {
            b.startObject();
            for (Iterator<? extends ToXContent> it = metadata.toXContentChunked(ToXContent.EMPTY_PARAMS); it.hasNext();) {
                it.next().toXContent(b, ToXContent.EMPTY_PARAMS);
            }
            json = Strings.toString(b.endObject());
        }
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY, json)) {
            parser.nextToken();
            assertEquals(metadata.encoders(), EncoderMetadata.fromXContent(parser).encoders());
        }
    }
}

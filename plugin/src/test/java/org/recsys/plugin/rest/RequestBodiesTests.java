package org.recsys.plugin.rest;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.test.ESTestCase;
import org.elasticsearch.xcontent.XContentParseException;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentParserConfiguration;
import org.elasticsearch.xcontent.json.JsonXContent;
import org.recsys.plugin.encoder.EncoderRegistration;
import org.recsys.plugin.recommend.RecommendSpec;
import org.recsys.plugin.rescore.FusedRescorerBuilder;
import org.recsys.plugin.training.TrainingSpec;
import org.recsys.plugin.training.TrainingSpecs;
import org.recsys.plugin.training.WalsTrainingSpec;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The request bodies as the REST handlers read them, from JSON text: every field reaches the spec, and an unknown
 * field, a value of the wrong type or content after the object is refused naming the field and its position.
 */
public class RequestBodiesTests extends ESTestCase {

    private static XContentParser json(String body) throws IOException {
        return JsonXContent.jsonXContent.createParser(XContentParserConfiguration.EMPTY, body);
    }

    private static RecommendSpec recommend(String body) throws IOException {
        try (XContentParser parser = json(body)) {
            return BodyParsing.singleObject(parser, RecommendSpec::parse);
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }

    public void testRecommendReadsEveryField() throws IOException {
        RecommendSpec spec = recommend(
            """
                {"user": {"id": "u1", "history": [{"item": "i1", "weight": 2, "rating": 4, "timestamp": 17}], "features": {"age": 24, "tags": ["a", true]}},
                 "k": 5, "num_candidates": 50, "filter": {"term": {"genre": "drama"}}, "exclude_seen": false, "fields": ["title"], "explain": true,
                 "fusion": {"weights": [1, 0.5], "text_field": "tv", "popularity_field": "n", "models": [{"model": "seq", "weight": 0.25}], "window_size": 20}}
                """
        );
        assertEquals("u1", spec.user().id());
        assertEquals(List.of(new org.recsys.plugin.serving.UserSpec.HistoryItem("i1", 2f, 4f, 17L)), spec.user().history());
        assertEquals(Map.of("age", List.of("24"), "tags", List.of("a", "true")), spec.user().features());
        assertEquals(5, spec.k());
        assertEquals(50, spec.numCandidates());
        assertEquals("{\"term\":{\"genre\":\"drama\"}}", spec.filterJson());
        assertFalse(spec.excludeSeen());
        assertEquals(List.of("title"), spec.fields());
        assertTrue(spec.explain());
        assertArrayEquals(new double[]{ 1, 0.5 }, spec.fusion().weights(), 0);
        assertEquals("tv", spec.fusion().textField());
        assertEquals("n", spec.fusion().popularityField());
        assertEquals(0.25, spec.fusion().models().get(0).weight(), 0);
        assertEquals(20, spec.windowSize());

        RecommendSpec defaults = recommend("{\"user\": {\"id\": \"u1\"}, \"k\": 20}");
        assertEquals(200, defaults.numCandidates());
        assertTrue(defaults.excludeSeen());
        assertNull(defaults.fusion());
    }

    public void testUnknownFieldsAreRefusedWithTheirPosition() {
        XContentParseException top =
            expectThrows(XContentParseException.class, () -> recommend("{\"user\": {\"id\": \"u1\"},\n \"kk\": 5}"));
        assertTrue(top.getMessage(), top.getMessage().startsWith("[2:2] [recommend] unknown field [kk]"));
        XContentParseException nested = expectThrows(XContentParseException.class, () -> recommend("{\"user\": {\"idd\": \"u1\"}}"));
        assertTrue(messages(nested), messages(nested).contains("[1:11] [user] unknown field [idd]"));
        XContentParseException inArray = expectThrows(
            XContentParseException.class,
            () -> recommend("{\"user\": {\"id\": \"u\"}, \"fusion\": {\"weights\": [1], \"models\": [{\"model\": \"m\", \"wieght\": 1}]}}")
        );
        assertTrue(messages(inArray), messages(inArray).contains("[models] unknown field [wieght]"));
    }

    public void testWrongTypesNameTheField() {
        XContentParseException e = expectThrows(XContentParseException.class, () -> recommend("{\"user\": {\"id\": \"u1\"}, \"k\": [1]}"));
        assertTrue(messages(e), messages(e).contains("[recommend] k doesn't support values of type: START_ARRAY"));
        XContentParseException feature =
            expectThrows(XContentParseException.class, () -> recommend("{\"user\": {\"features\": {\"age\": {\"years\": 30}}}}"));
        assertTrue(
            messages(feature),
            messages(feature).contains("[user.features.age] must be a string, a number, a boolean or an array of them")
        );
        IllegalArgumentException missing = expectThrows(IllegalArgumentException.class, () -> recommend("{\"k\": 5}"));
        assertEquals("Required one of fields [user], but none were specified.", missing.getMessage());
        IllegalArgumentException learned = expectThrows(
            IllegalArgumentException.class,
            () -> recommend("{\"user\": {\"id\": \"u\"}, \"fusion\": {\"type\": \"learned\", \"weights\": [1]}}")
        );
        assertEquals("[fusion.weights] is given with [type] [learned]; a learned fusion has no weights", learned.getMessage());
    }

    public void testContentAfterTheObjectIsRefused() {
        ParsingException e = expectThrows(ParsingException.class, () -> recommend("{\"user\": {\"id\": \"u1\"}}{\"extra\": 1}"));
        assertTrue(e.getMessage(), e.getMessage().contains("content after its JSON object"));
    }

    public void testRescorerBody() throws IOException {
        try (XContentParser parser = json("{\"model\": \"m\", \"user\": {\"id\": \"u\"}, \"type\": \"learned\", \"text_field\": \"tv\"}")) {
            assertNotNull(FusedRescorerBuilder.fromXContent(parser));
        }
        XContentParseException e = expectThrows(XContentParseException.class, () -> {
            try (XContentParser parser = json("{\"model\": \"m\", \"user\": {\"id\": \"u\"}, \"weights\": [1], \"window\": 3}")) {
                FusedRescorerBuilder.fromXContent(parser);
            }
        });
        assertTrue(e.getMessage(), e.getMessage().contains("[recsys] unknown field [window]"));
    }

    public void testTrainingBodyFindsItsTypeAnywhereAndNamesPositions() throws IOException {
        String body = """
            {"interactions": {"index": "r"}, "items": {"index": "m"}, "users": {"index": "u"},
             "params": {"rank": 8}, "type": "wals"}""";
        TrainingSpec spec = TrainingSpecs.parse("ml", () -> json(body), 1);
        assertEquals(8, ((WalsTrainingSpec) spec).params().rank());
        XContentParseException e = expectThrows(
            XContentParseException.class,
            () -> TrainingSpecs.parse("ml", () -> json(body.replace("\"users\"", "\n\"userz\"")), 1)
        );
        assertTrue(e.getMessage(), e.getMessage().startsWith("[2:1] [wals] unknown field [userz]"));
        ParsingException trailing = expectThrows(ParsingException.class, () -> TrainingSpecs.parse("ml", () -> json(body + "{}"), 1));
        assertTrue(trailing.getMessage(), trailing.getMessage().contains("content after its JSON object"));
    }

    public void testEncoderBody() throws IOException {
        try (XContentParser parser = json("{\"path\": \"minilm\", \"pooling\": \"cls\", \"max_seq_length\": 64}")) {
            EncoderRegistration r = EncoderRegistration.parse("e", parser);
            assertEquals("minilm", r.path());
            assertEquals(64, r.maxSequenceLength());
            assertTrue(r.normalize());
        }
        XContentParseException e = expectThrows(XContentParseException.class, () -> {
            try (XContentParser parser = json("{\"path\": \"minilm\", \"polling\": \"mean\"}")) {
                EncoderRegistration.parse("e", parser);
            }
        });
        assertTrue(e.getMessage(), e.getMessage().contains("[encoder] unknown field [polling]"));
    }
}

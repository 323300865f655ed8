package org.recsys.plugin.script;

import org.elasticsearch.action.search.SearchPhaseExecutionException;
import org.elasticsearch.action.search.SearchRequestBuilder;
import org.elasticsearch.action.search.ShardSearchFailure;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.script.Script;
import org.elasticsearch.script.ScriptType;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.plugin.RecsysNodeTestCase;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.elasticsearch.test.hamcrest.ElasticsearchAssertions.assertResponse;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The recsys script engine inside a real single node: scores, missing vectors and every rejected request. */
public class VectorScoreScriptTests extends RecsysNodeTestCase {

    private static final String INDEX = "items";

    @Override
    public void setUp() throws Exception {
        super.setUp();
        client().admin().indices().prepareCreate(INDEX).setMapping("""
            {"properties": {
              "v":      {"type": "dense_vector", "dims": 3, "index": true, "similarity": "max_inner_product"},
              "unit":   {"type": "dense_vector", "dims": 3, "index": true, "similarity": "cosine"},
              "stored": {"type": "dense_vector", "dims": 3, "index": false},
              "tag":    {"type": "keyword"}
            }}""").get();
        index("a", "{\"v\": [1, 2, 3], \"unit\": [1, 2, 3], \"tag\": \"x\"}");
        index("b", "{\"v\": [3, 0, 1], \"unit\": [30, 0, 10], \"tag\": \"x\"}");
        index("c", "{\"v\": [0, 0, -1], \"unit\": [0, 0, -0.5], \"tag\": \"x\"}");
        index("d", "{\"tag\": \"no vectors\"}");
        client().admin().indices().prepareRefresh(INDEX).get();
    }

    private void index(String id, String source) {
        client().prepareIndex(INDEX).setId(id).setSource(source, XContentType.JSON).get();
    }

    public void testDotProductOrdersByExactInnerProductPlusOffset() {
        Map<String, Float> scores = scores("dot_product", params("v", List.of(1, 1, 1), 2));
        assertThat(scores, equalTo(ordered("a", 8f, "b", 6f, "c", 1f, "d", 0f)));
    }

    public void testDotProductOnACosineFieldUsesTheOriginalVectorsNotTheNormalisedOnes() {
        Map<String, Float> scores = scores("dot_product", params("unit", List.of(1, 1, 1), 1));
        assertThat(scores, equalTo(ordered("b", 41f, "a", 7f, "c", 0.5f, "d", 0f)));
    }

    public void testCosineOrdersByAngleAndIgnoresLength() {
        Map<String, Float> scores = scores("cosine", params("v", List.of(1, 0, 0), 1));
        float cosB = (float) (3 / Math.sqrt(10));
        float cosA = (float) (1 / Math.sqrt(14));
        assertEquals(List.of("b", "a", "c", "d"), List.copyOf(scores.keySet()));
        assertEquals(1 + cosB, scores.get("b"), 1e-6f);
        assertEquals(1 + cosA, scores.get("a"), 1e-6f);
        assertEquals(1f, scores.get("c"), 1e-6f);
        assertEquals(0f, scores.get("d"), 0f);
        // The normalised copy in a cosine field gives the same angles.
        Map<String, Float> unit = scores("cosine", params("unit", List.of(1, 0, 0), 1));
        assertEquals(1 + cosB, unit.get("b"), 1e-6f);
        assertEquals(1 + cosA, unit.get("a"), 1e-6f);
    }

    public void testWrongDimensionIsABadRequestNamingFieldAndBothDimensions() {
        assertBadRequest(search("dot_product", params("v", List.of(1, 1), 0)), "field [v] has [3] dimensions but [query_vector] has [2]");
    }

    public void testUnknownFieldIsABadRequest() {
        assertBadRequest(search("dot_product", params("nope", List.of(1, 1, 1), 0)), "field [nope] is not mapped");
    }

    public void testNonVectorFieldIsABadRequest() {
        assertBadRequest(search("dot_product", params("tag", List.of(1, 1, 1), 0)), "field [tag] is of type [keyword]");
    }

    public void testUnindexedVectorFieldIsABadRequest() {
        assertBadRequest(search("dot_product", params("stored", List.of(1, 1, 1), 0)), "field [stored] has [index: false]");
    }

    public void testMalformedParamsAreBadRequests() {
        assertBadRequest(search("dot_product", Map.of("field", "v")), "param [query_vector] must be an array of numbers");
        assertBadRequest(search("dot_product", params("v", List.of(1, "x", 1), 0)), "element [1] is [x]");
        assertBadRequest(search("dot_product", params("v", List.of(1, Double.NaN, 1), 0)), "element [1] of the query vector is [NaN]");
        assertBadRequest(search("cosine", params("v", List.of(0, 0, 0), 0)), "must not be all zeros");
        assertBadRequest(search("l2_norm", params("v", List.of(1, 1, 1), 0)), "unknown [recsys] script [l2_norm]");
    }

    public void testNegativeScoresAreRefusedByElasticsearchNotClamped() {
        assertBadRequest(search("dot_product", params("v", List.of(1, 1, 1), 0)), "Must be a non-negative score");
    }

    private static Map<String, Object> params(String field, List<?> query, double offset) {
        Map<String, Object> params = new HashMap<>();
        params.put("field", field);
        params.put("query_vector", query);
        params.put("offset", offset);
        return params;
    }

    private static Map<String, Float> ordered(Object... idsAndScores) {
        Map<String, Float> map = new LinkedHashMap<>();
        for (int i = 0; i < idsAndScores.length; i += 2) {
            map.put((String) idsAndScores[i], (Float) idsAndScores[i + 1]);
        }
        return map;
    }

    private SearchRequestBuilder search(String source, Map<String, Object> params) {
        Script script = new Script(ScriptType.INLINE, RecsysScriptEngine.NAME, source, params);
        return client().prepareSearch(INDEX).setQuery(QueryBuilders.scriptScoreQuery(QueryBuilders.matchAllQuery(), script));
    }

    private Map<String, Float> scores(String source, Map<String, Object> params) {
        Map<String, Float> scores = new LinkedHashMap<>();
        assertResponse(search(source, params), response -> {
            for (SearchHit hit : response.getHits().getHits()) {
                scores.put(hit.getId(), hit.getScore());
            }
        });
        return scores;
    }

    private static void assertBadRequest(SearchRequestBuilder request, String expected) {
        SearchPhaseExecutionException e = expectThrows(SearchPhaseExecutionException.class, request::get);
        assertThat(e.status(), equalTo(RestStatus.BAD_REQUEST));
        String reasons = e.getDetailedMessage() + Arrays.stream(e.shardFailures()).map(ShardSearchFailure::reason).toList();
        assertThat(reasons, containsString(expected));
    }
}

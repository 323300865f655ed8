package org.recsys.plugin.recommend;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.test.ESTestCase;
import org.recsys.plugin.rescore.FusionRequest;
import org.recsys.plugin.serving.UserSpec;
import org.recsys.plugin.serving.UserVector;
import org.recsys.plugin.serving.VersionFields;
import org.recsys.plugin.training.UserItems;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/**
 * The hybrid fusion's second knn: where it searches the projected items, by the version's fields; and when the search
 * made with the user's items as the training kept them may answer for the user now.
 */
public class RecommenderTests extends ESTestCase {

    private static final float[] USER = { 0.5f, -1f };

    private static VersionFields hybrid(String projectedField) {
        return new VersionFields("m", 2, "items", "f_a", "text", "f_a_count", new float[]{ 1f }, "f_a_source", projectedField, 10);
    }

    /** The projected items' own field is a graph of them alone: no filter on the items' source field. */
    public void testAVersionWithAProjectedFieldSearchesItWithoutTheSourceFilter() {
        KnnVectorQueryBuilder knn = Recommender.projectedKnn(hybrid("f_a_projected"), USER, 0, 100, QueryBuilders.boolQuery());
        assertEquals("f_a_projected", knn.getFieldName());
        assertEquals(Integer.valueOf(10), knn.k());
        assertEquals(Integer.valueOf(100), knn.numCands());
        assertEquals(List.of(), knn.filterQueries());
    }

    /** The user's items are dropped beside the knn, not filtered in it: it asks for as many more; the request's filter stays. */
    public void testItAsksForTheDroppedItemsMoreAndKeepsTheRequestsFilter() {
        BoolQueryBuilder shelf = QueryBuilders.boolQuery().filter(QueryBuilders.termQuery("shelf", "open"));
        KnnVectorQueryBuilder knn = Recommender.projectedKnn(hybrid("f_a_projected"), USER, 95, 100, shelf);
        assertEquals("f_a_projected", knn.getFieldName());
        assertEquals(Integer.valueOf(105), knn.k());
        assertEquals(Integer.valueOf(105), knn.numCands());
        assertEquals(List.of(shelf), knn.filterQueries());
    }

    /** A version trained before projected items had a field of their own is served as it was: the items' field, filtered. */
    public void testAVersionWithoutAProjectedFieldFiltersTheItemsField() {
        BoolQueryBuilder seen = QueryBuilders.boolQuery().mustNot(QueryBuilders.idsQuery().addIds("i1"));
        KnnVectorQueryBuilder knn = Recommender.projectedKnn(hybrid(null), USER, 0, 5, seen);
        assertEquals("f_a", knn.getFieldName());
        assertEquals(Integer.valueOf(10), knn.numCands());
        assertEquals(List.of(QueryBuilders.termQuery("f_a_source", "projected"), seen), knn.filterQueries());
    }

    private static RecommendSpec hybridRequest() {
        FusionRequest learned = new FusionRequest(null, null, null, null, List.of());
        return new RecommendSpec(new UserSpec("u1", List.of(), Map.of()), 10, 100, null, true, List.of(), false, learned, 100);
    }

    private static UserVector user(VersionFields version, List<String> items) {
        return new UserVector(version, USER, UserVector.STORED, UserItems.of(items), List.of(), new float[]{ 0.6f, 0.8f });
    }

    /**
     * The items the training kept and a search of the interactions give the same user whatever order they come in,
     * and with an item read twice (which the training keeps once): the search made at once is the one the user now
     * would make, and it stands.
     */
    public void testTheSearchWithTheTrainedItemsStandsForTheSameItems() {
        UserVector trained = user(hybrid("f_a_projected"), List.of("i1", "i2", "i3"));
        for (List<String> items : List.of(List.of("i3", "i1", "i2"), List.of("i2", "i1", "i3", "i2"))) {
            UserVector now = user(hybrid("f_a_projected"), items);
            assertTrue(items.toString(), Recommender.asTrainedStands(trained, now));
            assertEquals(items.toString(), Recommender.plan(now, hybridRequest()), Recommender.plan(trained, hybridRequest()));
        }
    }

    /**
     * An item indexed since the training, or one deleted, makes another search. Its answer must not be the one of the
     * search made with the trained items, which may recommend the new item or ask for other neighbours.
     */
    public void testOtherItemsSearchAgain() {
        UserVector trained = user(hybrid("f_a_projected"), List.of("i1", "i2", "i3"));
        for (List<String> items : List.of(List.of("i1", "i2", "i3", "i4"), List.of("i1", "i3"), List.of("i1", "i2", "i4"))) {
            UserVector now = user(hybrid("f_a_projected"), items);
            assertFalse(items.toString(), Recommender.asTrainedStands(trained, now));
            Recommender.Search search = Recommender.plan(now, hybridRequest());
            assertNotEquals(items.toString(), search, Recommender.plan(trained, hybridRequest()));
            for (String item : items) {
                assertThat(search.source().query().toString(), containsString("\"" + item + "\""));
            }
        }
    }

    /** A version swapped in between the two resolutions: the user now is searched, with the new version's fields. */
    public void testAnotherVersionSearchesAgain() {
        UserVector trained = user(hybrid("f_a_projected"), List.of("i1", "i2"));
        UserVector now = user(
            new VersionFields("m", 3, "items", "f_b", "text", "f_b_count", new float[]{ 1f }, "f_b_source", "f_b_projected", 10),
            List.of("i1", "i2")
        );
        assertFalse(Recommender.asTrainedStands(trained, now));
        assertNotEquals(Recommender.plan(now, hybridRequest()), Recommender.plan(trained, hybridRequest()));
    }

    /** Shards on other nodes must get the projected field with the rest of the version's fields. */
    public void testTheProjectedFieldTravelsWithTheVersionFields() throws IOException {
        VersionFields fields = hybrid("f_a_projected");
        BytesStreamOutput out = new BytesStreamOutput();
        fields.writeTo(out);
        try (StreamInput in = out.bytes().streamInput()) {
            VersionFields read = new VersionFields(in);
            assertEquals(fields, read);
            assertEquals("f_a_projected", read.projectedField());
        }
    }
}

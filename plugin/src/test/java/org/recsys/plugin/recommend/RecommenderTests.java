package org.recsys.plugin.recommend;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.test.ESTestCase;
import org.recsys.plugin.serving.VersionFields;

import java.io.IOException;
import java.util.List;

/** The hybrid fusion's second knn: where it searches the projected items, by the version's fields. */
public class RecommenderTests extends ESTestCase {

    private static final float[] USER = { 0.5f, -1f };

    private static VersionFields hybrid(String projectedField) {
        return new VersionFields(
            "m",
            2,
            "items",
            "f_a",
            "text",
            "f_a_count",
            new float[]{ 1f },
            "f_a_source",
            projectedField,
            10,
            "f_a_id",
            "_id"
        );
    }

    /** The projected items' own field is a graph of them alone: no filter on the items' source field. */
    public void testAVersionWithAProjectedFieldSearchesItWithoutTheSourceFilter() {
        KnnVectorQueryBuilder knn = Recommender.projectedKnn(hybrid("f_a_projected"), USER, 0, 100, 100, QueryBuilders.boolQuery());
        assertEquals("f_a_projected", knn.getFieldName());
        assertEquals(Integer.valueOf(10), knn.k());
        assertEquals(Integer.valueOf(10), knn.numCands());
        assertEquals(List.of(), knn.filterQueries());
    }

    /** The user's items are dropped beside the knn, not filtered in it: it asks for as many more; the request's filter stays. */
    public void testItAsksForTheDroppedItemsMoreAndKeepsTheRequestsFilter() {
        BoolQueryBuilder shelf = QueryBuilders.boolQuery().filter(QueryBuilders.termQuery("shelf", "open"));
        KnnVectorQueryBuilder knn = Recommender.projectedKnn(hybrid("f_a_projected"), USER, 95, 195, 195, shelf);
        assertEquals("f_a_projected", knn.getFieldName());
        assertEquals(Integer.valueOf(105), knn.k());
        assertEquals(Integer.valueOf(105), knn.numCands());
        assertEquals(List.of(shelf), knn.filterQueries());
    }

    /** A version trained before projected items had a field of their own is served as it was: the items' field, filtered. */
    public void testAVersionWithoutAProjectedFieldFiltersTheItemsField() {
        BoolQueryBuilder seen = QueryBuilders.boolQuery().mustNot(QueryBuilders.idsQuery().addIds("i1"));
        KnnVectorQueryBuilder knn = Recommender.projectedKnn(hybrid(null), USER, 0, 5, 5, seen);
        assertEquals("f_a", knn.getFieldName());
        assertEquals(Integer.valueOf(10), knn.numCands());
        assertEquals(List.of(QueryBuilders.termQuery("f_a_source", "projected"), seen), knn.filterQueries());
    }

    /** It searches as deep per neighbour as the first knn: 1.5 candidates per neighbour there give 15 for its 10. */
    public void testItSearchesAsDeepPerNeighbourAsTheFirstKnn() {
        assertEquals(
            Integer.valueOf(15),
            Recommender.projectedKnn(hybrid("f_a_projected"), USER, 0, 150, 100, QueryBuilders.boolQuery()).numCands()
        );
        assertEquals(
            Integer.valueOf(11),
            Recommender.projectedKnn(hybrid("f_a_projected"), USER, 0, 101, 100, QueryBuilders.boolQuery()).numCands()
        );
    }

    /** Shards on other nodes must get the projected and id fields with the rest of the version's fields. */
    public void testTheProjectedFieldTravelsWithTheVersionFields() throws IOException {
        VersionFields fields = hybrid("f_a_projected");
        BytesStreamOutput out = new BytesStreamOutput();
        fields.writeTo(out);
        try (StreamInput in = out.bytes().streamInput()) {
            VersionFields read = new VersionFields(in);
            assertEquals(fields, read);
            assertEquals("f_a_projected", read.projectedField());
            assertEquals("f_a_id", read.itemIdField());
        }
    }
}

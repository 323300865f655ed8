package org.recsys.plugin.recommend;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.recsys.core.fusion.FusionNet;
import org.recsys.plugin.rescore.FusedRescorerBuilder;
import org.recsys.plugin.rescore.FusionRequest;
import org.recsys.plugin.serving.ModelUser;
import org.recsys.plugin.serving.UserVectorAction;
import org.recsys.plugin.serving.VersionFields;
import org.recsys.plugin.training.FactorWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code _recommend} as one call of the same path a user can write by hand: the user's vector (the class behind
 * {@code recsys_user}), then a {@code knn} search over the served item field with the user's filter and, unless told
 * otherwise, without the user's own items (a {@code must_not} beside a knn query that returns as many more
 * neighbours). Scores are the model's raw preference x·y, recovered from
 * Elasticsearch's {@code max_inner_product} score, so they read like the offline model's.
 */
public final class Recommender {

    /** Up to this many items of the user are dropped from the knn's neighbours rather than filtered out of the knn search. */
    static final int MAX_DROPPED_AFTER = 1_000;

    private final Client client;

    public Recommender(Client client) {
        this.client = client;
    }

    public void recommend(String modelId, RecommendSpec spec, ActionListener<Map<String, Object>> listener) {
        client.execute(
            UserVectorAction.TYPE,
            new UserVectorAction.Request(modelId, spec.user(), false),
            listener.delegateFailureAndWrap((l, response) -> search(response.user(), spec, l))
        );
    }

    private void search(ModelUser user, RecommendSpec spec, ActionListener<Map<String, Object>> listener) {
        BoolQueryBuilder filter = QueryBuilders.boolQuery();
        if (spec.filterJson() != null) {
            filter.filter(QueryBuilders.wrapperQuery(spec.filterJson()));
        }
        List<String> seen = spec.excludeSeen() ? user.seenItems() : List.of();
        FusionRequest fusion = spec.fusion();
        // A knn filter costs a pass over every document of each segment (Lucene collects the filter's matches into a
        // bit set first), and asking the top-level knn for more hits costs a fetch of each. So with a query vector the
        // knn runs as a query that returns |seen| more neighbours, and a must_not beside it drops the user's items in
        // the query phase, from those few matches only. Otherwise, or beyond MAX_DROPPED_AFTER items, they are a
        // must_not of the filter.
        // The hybrid fusion's candidates must be exactly the best `window` unseen items and the best `reserved` unseen
        // projected ones, as offline: the few more neighbours that dropping after each knn returns are cut by the
        // rescorer (HybridWindow).
        int reserved = fusion != null && FusionNet.TYPE.equals(fusion.type()) ? user.served().reserved() : 0;
        int dropped = user.queryVector() != null && seen.size() <= MAX_DROPPED_AFTER ? seen.size() : 0;
        QueryBuilder seenIds = user.served().itemsQuery(seen);
        if (dropped == 0 && seen.isEmpty() == false) {
            filter.mustNot(seenIds);
        }
        SearchSourceBuilder source = new SearchSourceBuilder().size(spec.k()).trackTotalHits(false);
        int window = spec.windowSize();
        int hybridWindow = 0;
        // Items the model's score raises beyond knn's (a sequential model's transition term) are candidates too, and
        // the model's own score ranks them with the knn's top k: an item without a term that the fused top k holds is
        // in the knn's top k, since every item above it there is above it in the fused ranking.
        List<String> raised = List.copyOf(user.itemTerms().keySet());
        if (raised.isEmpty() == false && fusion == null) {
            fusion = FusionRequest.modelOnly();
            window = spec.k();
        }
        if (user.queryVector() != null) {
            // With fusion, the knn returns the whole window for the rescorer to re-rank.
            int candidates = Math.min(spec.numCandidates() + dropped, RecommendSpec.MAX_CANDIDATES);
            int neighbours = Math.min((fusion == null ? spec.k() : window) + dropped, candidates);
            KnnVectorQueryBuilder knn =
                new KnnVectorQueryBuilder(user.queryField(), user.queryVector(), neighbours, candidates, null, null);
            if (filter.hasClauses()) {
                knn.addFilterQuery(filter);
            }
            BoolQueryBuilder query = QueryBuilders.boolQuery();
            if (reserved > 0) {
                // Both spaces in one search; the rescorer takes the candidates among all their hits and re-ranks them.
                query.should(knn)
                    .should(projectedKnn(user.served(), user.queryVector(), dropped, candidates, neighbours, filter))
                    .minimumShouldMatch(1);
                hybridWindow = window;
                window = neighbours + reserved + dropped;
            } else if (raised.isEmpty()) {
                query.must(knn);
            } else {
                query.should(knn).minimumShouldMatch(1);
            }
            if (raised.isEmpty() == false) {
                QueryBuilder raisedIds = user.served().itemsQuery(raised);
                query.should(filter.hasClauses() ? QueryBuilders.boolQuery().must(raisedIds).filter(filter) : raisedIds);
                // The rescorer's window holds every hit: the knn's, the projected ones', the raised ones.
                window = Math.max(window, neighbours + reserved) + raised.size();
            }
            if (dropped > 0) {
                query.mustNot(seenIds);
            }
            source.query(query);
        } else {
            // A model without a query vector scores the filter's first num_candidates matches with the rescorer.
            source.query(filter.hasClauses() ? filter : QueryBuilders.matchAllQuery());
            if (fusion == null) {
                fusion = FusionRequest.modelOnly();
                window = spec.numCandidates();
            }
        }
        // The hits' ids come from doc values where the version keeps them: without fields to return, no stored field
        // is read (a hit's _id decompresses its whole stored document, vectors and all).
        String idField = user.served().itemIdField();
        if (spec.fields().isEmpty()) {
            source.fetchSource(false);
        } else {
            source.fetchSource(spec.fields().toArray(String[]::new), null);
        }
        if (idField != null) {
            source.docValueField(idField);
            if (spec.fields().isEmpty()) {
                source.storedFields(StoredFieldsContext.fromList(List.of(StoredFieldsContext._NONE_)));
            }
        }
        ActionListener<SearchSourceBuilder> search = listener.delegateFailureAndWrap((l, s) -> search(user, spec, s, idField, l));
        if (fusion == null) {
            search.onResponse(source);
        } else {
            source.explain(spec.explain());
            FusedRescorerBuilder.forResolvedUser(client, spec.user(), fusion, user, window, hybridWindow, search.map(source::addRescorer));
        }
    }

    /**
     * Runs the search and answers. A hit without its id in {@code idField} (a document that got its factor without
     * one, e.g. indexed through the projection processor without an {@code _id}) makes a search that read no stored
     * field run again reading each hit's {@code _id}: the same hits, a slower fetch; that hit answers with its
     * {@code _id}.
     */
    private void search(
        ModelUser user,
        RecommendSpec spec,
        SearchSourceBuilder source,
        @Nullable String idField,
        ActionListener<Map<String, Object>> listener
    ) {
        client.prepareSearch(user.itemIndex()).setSource(source).execute(listener.delegateFailureAndWrap((l, response) -> {
            if (idField != null && everyHitHasAnId(idField, response) == false) {
                search(user, spec, source.shallowCopy().storedFields((StoredFieldsContext) null), idField, l);
            } else {
                l.onResponse(answer(user, spec, response, idField));
            }
        }));
    }

    private static boolean everyHitHasAnId(String idField, SearchResponse response) {
        for (SearchHit hit : response.getHits().getHits()) {
            if (id(hit, idField) == null) {
                return false;
            }
        }
        return true;
    }

    /** The hit's item id: from {@code idField}'s doc values, else its {@code _id} when the fetch read it, else null. */
    @Nullable
    private static String id(SearchHit hit, @Nullable String idField) {
        DocumentField field = idField == null ? null : hit.field(idField);
        return field == null || field.getValue() == null ? hit.getId() : field.getValue().toString();
    }

    /**
     * The hybrid fusion's second space: the version's {@code reserved} best projected items by the user's vector (and
     * {@code dropped} more, for the user's items dropped beside it), which the first knn rarely reaches (projected
     * factors shrink toward the mean). It searches as deep per neighbour as the first knn ({@code candidates} for
     * {@code neighbours}): HNSW's cost grows with its candidates, not with the graph, and the request's ratio is the
     * recall it asked for (Q1: 46 rather than 136 candidates for 46 neighbours of 10,000 projected items, the same top
     * 10, 0.12 ms less). A version that keeps projected factors in a field of their own is searched
     * there, a graph of the projected items alone; one trained before that has its items' field filtered to
     * {@code _source: projected}, where HNSW visits much of the graph for the few items that pass (Q1's probe: 3.0 ms
     * against 1.4 ms on the field of their own).
     */
    static KnnVectorQueryBuilder projectedKnn(
        VersionFields served,
        float[] vector,
        int dropped,
        int candidates,
        int neighbours,
        BoolQueryBuilder filter
    ) {
        int k = served.reserved() + dropped;
        long deep = ((long) k * candidates + neighbours - 1) / neighbours;
        int numCandidates = (int) Math.min(Math.max(k, deep), RecommendSpec.MAX_CANDIDATES);
        String field = served.projectedField() == null ? served.itemField() : served.projectedField();
        KnnVectorQueryBuilder knn = new KnnVectorQueryBuilder(field, vector, k, numCandidates, null, null);
        if (served.projectedField() == null) {
            knn.addFilterQuery(QueryBuilders.termQuery(served.sourceField(), FactorWriter.PROJECTED));
        }
        if (filter.hasClauses()) {
            knn.addFilterQuery(filter);
        }
        return knn;
    }

    private static Map<String, Object> answer(ModelUser user, RecommendSpec spec, SearchResponse response, @Nullable String idField) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (SearchHit hit : response.getHits().getHits()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id(hit, idField));
            item.put("score", preference(hit.getScore()));
            if (spec.fields().isEmpty() == false) {
                item.put("fields", hit.getSourceAsMap());
            }
            if (spec.explain()) {
                item.put(
                    "explanation",
                    hit.getExplanation() == null
                        ? Map.of("collaborative", preference(hit.getScore()), "knn_score", hit.getScore())
                        : hit.getExplanation().toString()
                );
            }
            items.add(item);
        }
        Map<String, Object> userInfo = new LinkedHashMap<>();
        userInfo.put("vector", user.source());
        userInfo.put("seen_items", user.seenItems().size());
        userInfo.put("unknown_items", user.unknownItems());
        userInfo.putAll(user.details());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", user.modelId());
        out.put("version", user.version());
        out.put("user", userInfo);
        out.put("items", items);
        return out;
    }

    /**
     * Inverts Elasticsearch's max_inner_product score (1 + s for s ≥ 0, 1 / (1 − s) below) back to s = x·y; the fused
     * score uses the same map, so with fusion this is the raw fused value.
     */
    static double preference(float score) {
        return score >= 1 ? score - 1d : 1d - 1d / score;
    }
}

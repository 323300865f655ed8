package org.recsys.plugin.training;

import org.elasticsearch.action.search.ClosePointInTimeRequest;
import org.elasticsearch.action.search.OpenPointInTimeRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.search.TransportClosePointInTimeAction;
import org.elasticsearch.action.search.TransportOpenPointInTimeAction;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.PointInTimeBuilder;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FieldAndFormat;
import org.elasticsearch.search.sort.SortBuilders;

import java.util.List;
import java.util.function.Consumer;

/**
 * Every document of an index that matches a query, read page by page from one point in time with
 * {@code search_after}: a consistent snapshot however long the reading takes, with no scroll contexts to leak.
 * Doc values are fetched, and {@code _source} only for the fields asked.
 */
final class IndexScan {

    static final int PAGE = 10_000;
    private static final TimeValue KEEP_ALIVE = TimeValue.timeValueMinutes(5);

    private IndexScan() {}

    static void forEach(
        Client client,
        String index,
        QueryBuilder query,
        List<String> docValueFields,
        ModelTask task,
        Consumer<SearchHit> each
    ) {
        forEach(client, index, query, docValueFields, List.of(), task, each);
    }

    /** As above, also fetching {@code sourceFields} from {@code _source} (for vectors, which have no doc values to read). */
    static void forEach(
        Client client,
        String index,
        QueryBuilder query,
        List<String> docValueFields,
        List<String> sourceFields,
        ModelTask task,
        Consumer<SearchHit> each
    ) {
        forEachFormatted(
            client,
            index,
            query,
            docValueFields.stream().map(f -> new FieldAndFormat(f, null)).toList(),
            sourceFields,
            task,
            each
        );
    }

    /** As above, with a format for each doc-value field that needs one (e.g. {@code epoch_millis} for a date). */
    static void forEachFormatted(
        Client client,
        String index,
        QueryBuilder query,
        List<FieldAndFormat> docValueFields,
        List<String> sourceFields,
        ModelTask task,
        Consumer<SearchHit> each
    ) {
        BytesReference pit = client.execute(TransportOpenPointInTimeAction.TYPE, new OpenPointInTimeRequest(index).keepAlive(KEEP_ALIVE))
            .actionGet()
            .getPointInTimeId();
        try {
            Object[] after = null;
            while (true) {
                task.checkCancelled();
                SearchSourceBuilder source =
                    new SearchSourceBuilder().pointInTimeBuilder(new PointInTimeBuilder(pit).setKeepAlive(KEEP_ALIVE))
                        .query(query)
                        .size(PAGE)
                        .trackTotalHits(false)
                        .sort(SortBuilders.pitTiebreaker());
                if (sourceFields.isEmpty()) {
                    source.fetchSource(false);
                } else {
                    source.fetchSource(sourceFields.toArray(String[]::new), null);
                }
                docValueFields.forEach(f -> source.docValueField(f.field, f.format));
                if (after != null) {
                    source.searchAfter(after);
                }
                SearchResponse page = client.prepareSearch().setSource(source).get();
                try {
                    pit = page.pointInTimeId();
                    SearchHit[] hits = page.getHits().getHits();
                    for (SearchHit hit : hits) {
                        each.accept(hit);
                    }
                    if (hits.length < PAGE) {
                        return;
                    }
                    after = hits[hits.length - 1].getSortValues();
                } finally {
                    page.decRef();
                }
            }
        } finally {
            client.execute(TransportClosePointInTimeAction.TYPE, new ClosePointInTimeRequest(pit));
        }
    }
}

package org.recsys.plugin.util;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.mapper.IdFieldMapper;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The sources of a multi-get run as the calling user. A multi-get answers a refused item (no {@code read} on its
 * index) as a failed item rather than failing whole; read as "no such document", it would turn a 403 into a wrong
 * answer, so a failure is thrown as it came. Documents hidden by document-level security simply do not exist.
 */
public final class ReadableSources {

    private ReadableSources() {}

    /** The item's source, empty when the document does not exist; throws the item's failure. */
    public static Map<String, Object> source(MultiGetItemResponse item) {
        if (item.isFailed()) {
            throw ExceptionsHelper.convertToRuntime(item.getFailure().getFailure());
        }
        return item.getResponse().isExists() ? item.getResponse().getSourceAsMap() : Map.of();
    }

    /**
     * The {@code fields} of the documents of these ids in {@code index}, by id; an id without a document is absent.
     * Ids are {@code _id}s (one multi-get) or the values of the documents' own id field {@code idField} (one search
     * for them; of two documents with the same id, the first in index order).
     */
    public static void byId(
        Client client,
        String index,
        String idField,
        Collection<String> ids,
        String[] fields,
        ActionListener<Map<String, Map<String, Object>>> listener
    ) {
        FetchSourceContext only = FetchSourceContext.of(true, fields, null);
        if (IdFieldMapper.NAME.equals(idField)) {
            MultiGetRequest get = new MultiGetRequest();
            for (String id : ids) {
                get.add(new MultiGetRequest.Item(index, id).fetchSourceContext(only));
            }
            client.multiGet(get, listener.map(response -> {
                Map<String, Map<String, Object>> sources = new HashMap<>();
                for (MultiGetItemResponse item : response.getResponses()) {
                    Map<String, Object> source = source(item);
                    if (source.isEmpty() == false) {
                        sources.put(item.getId(), source);
                    }
                }
                return sources;
            }));
            return;
        }
        SearchSourceBuilder search = new SearchSourceBuilder().query(QueryBuilders.termsQuery(idField, ids))
            .size(ids.size())
            .sort("_doc")
            .fetchSource(only)
            .docValueField(idField)
            .trackTotalHits(false);
        client.prepareSearch(index).setSource(search).execute(listener.map(response -> {
            Map<String, Map<String, Object>> sources = new HashMap<>();
            for (SearchHit hit : response.getHits().getHits()) {
                DocumentField id = hit.field(idField);
                if (id != null && id.getValue() != null) {
                    sources.putIfAbsent(id.getValue().toString(), hit.getSourceAsMap());
                }
            }
            return sources;
        }));
    }
}

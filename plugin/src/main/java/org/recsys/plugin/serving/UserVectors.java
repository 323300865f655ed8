package org.recsys.plugin.serving;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.recsys.core.wals.FoldIn;
import org.recsys.plugin.training.InteractionSource;
import org.recsys.plugin.util.SourceVectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link UserSpec} into a vector of a served model, asynchronously and as the calling user: a known user's
 * stored factor (read from the user index's served field), or the fold-in of a history against the items' served
 * factors (read by one multi-get) and the version's Gram matrix, exactly as training solves a user.
 */
public final class UserVectors {

    /** The most items of a known user read back to exclude them. */
    static final int MAX_SEEN = 10_000;

    private final Client client;
    private final ServedModels models;

    public UserVectors(Client client, ServedModels models) {
        this.client = client;
        this.models = models;
    }

    public void resolve(String modelId, UserSpec user, ActionListener<UserVector> listener) {
        models.served(modelId, ServedWals.class, "user vectors come from [wals] models", listener.delegateFailureAndWrap((l, served) -> {
            user.requireIdOrHistory(modelId);
            if (user.history().isEmpty()) {
                stored(served, user.id(), l);
            } else {
                foldIn(served, user.history(), l);
            }
        }));
    }

    private void stored(ServedWals served, String id, ActionListener<UserVector> listener) {
        client.prepareGet(served.userIndex(), id)
            .setFetchSource(new String[] { served.userField() }, null)
            .execute(listener.delegateFailureAndWrap((l, response) -> {
                float[] vector = response.isExists() ? SourceVectors.read(response.getSourceAsMap(), served.userField(), served.rank()) : null;
                if (vector == null) {
                    l.onFailure(new ResourceNotFoundException(
                        "user [" + id + "] has no factor in version [" + served.version() + "] of model [" + served.modelId()
                            + "]; send the user's [history] to fold them in"
                    ));
                    return;
                }
                seenItems(served, id, l.<List<String>>map(seen -> new UserVector(
                    served.modelId(), served.version(), served.itemIndex(), served.itemField(), vector, UserVector.STORED, seen, List.of()
                )));
            }));
    }

    /** The items of a known user in the model's own interactions (what training saw as theirs). */
    private void seenItems(ServedWals served, String id, ActionListener<List<String>> listener) {
        InteractionSource source = served.spec().interactions();
        SearchSourceBuilder search = new SearchSourceBuilder().query(
            QueryBuilders.boolQuery().filter(QueryBuilders.termQuery(source.userField(), id)).filter(source.query())
        ).size(MAX_SEEN).fetchSource(false).docValueField(source.itemField()).trackTotalHits(false);
        client.prepareSearch(source.index()).setSource(search).execute(listener.delegateFailureAndWrap((l, response) -> {
            List<String> items = new ArrayList<>();
            for (SearchHit hit : response.getHits().getHits()) {
                DocumentField item = hit.field(source.itemField());
                if (item != null && item.getValue() != null) {
                    items.add(item.getValue().toString());
                }
            }
            l.onResponse(items);
        }));
    }

    private void foldIn(ServedWals served, List<UserSpec.HistoryItem> history, ActionListener<UserVector> listener) {
        Map<String, Float> weights = new LinkedHashMap<>();
        for (UserSpec.HistoryItem h : history) {
            weights.merge(h.item(), h.weight(), Float::sum);
        }
        MultiGetRequest get = new MultiGetRequest();
        FetchSourceContext only = FetchSourceContext.of(true, new String[] { served.itemField() }, null);
        for (String item : weights.keySet()) {
            get.add(new MultiGetRequest.Item(served.itemIndex(), item).fetchSourceContext(only));
        }
        client.multiGet(get, listener.delegateFailureAndWrap((l, response) -> {
            int k = served.rank();
            float[] fixed = new float[weights.size() * k];
            int[] indices = new int[weights.size()];
            float[] w = new float[weights.size()];
            List<String> unknown = new ArrayList<>();
            int n = 0;
            for (MultiGetItemResponse item : response.getResponses()) {
                float[] factor = item.isFailed() || item.getResponse().isExists() == false
                    ? null
                    : SourceVectors.read(item.getResponse().getSourceAsMap(), served.itemField(), k);
                if (factor == null) {
                    unknown.add(item.getId());
                    continue;
                }
                System.arraycopy(factor, 0, fixed, n * k, k);
                indices[n] = n;
                w[n] = weights.get(item.getId());
                n++;
            }
            if (n == 0) {
                l.onFailure(new IllegalArgumentException(
                    "none of the " + weights.size() + " items of [user.history] has a factor in model [" + served.modelId() + "]: " + unknown
                ));
                return;
            }
            float[] vector = new FoldIn(fixed, n, served.itemGram(), served.spec().params(), null).solve(indices, w, n);
            l.onResponse(new UserVector(
                served.modelId(), served.version(), served.itemIndex(), served.itemField(), vector, UserVector.FOLDED_IN,
                List.copyOf(weights.keySet()), unknown
            ));
        }));
    }
}

package org.recsys.plugin.serving;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;
import org.elasticsearch.search.sort.FieldSortBuilder;
import org.recsys.core.fusion.FusionFeatures;
import org.recsys.core.wals.FoldIn;
import org.recsys.plugin.training.InteractionSource;
import org.recsys.plugin.util.ReadableSources;
import org.recsys.plugin.util.VectorsInSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users of a {@code wals} version: a known user's stored factor (and content profile) from the user index's served
 * fields, read while their items are searched; or the fold-in of a history against the items' served factors (read
 * by one multi-get, with their text vectors when the version keeps content profiles) and the version's Gram matrix,
 * exactly as training solves a user.
 */
final class WalsUsers {

    /** The most items of a known user read back to exclude them. */
    static final int MAX_SEEN = 10_000;

    private WalsUsers() {}

    static void resolve(ServedWals served, UserSpec user, Client client, ActionListener<ModelUser> listener) {
        user.requireIdOrHistory(served.modelId());
        if (user.history().isEmpty()) {
            stored(served, user.id(), client, listener);
        } else {
            foldIn(served, user.history(), client, listener);
        }
    }

    private static void stored(ServedWals served, String id, Client client, ActionListener<ModelUser> listener) {
        SubscribableListener<List<String>> seen = SubscribableListener.newForked(l -> seenItems(served, id, client, l));
        String profileField = served.userProfileField();
        // The whole source: filtering it to the factor and the profile parses it and prints every float kept back as
        // text, which the parse here then reads again (most of the GET's samples in a JFR profile of Q1's hybrid
        // recommendation), for a document that holds little besides the vectors of the two slots.
        client.prepareGet(served.userIndex(), id).setFetchSource(true).execute(listener.delegateFailureAndWrap((l, response) -> {
            Map<String, Object> source = response.isExists() ? response.getSourceAsMap() : Map.of();
            float[] vector = VectorsInSource.read(source, served.userField(), served.rank());
            if (vector == null) {
                l.onFailure(
                    new ResourceNotFoundException(
                        "user ["
                            + id
                            + "] has no factor in version ["
                            + served.version()
                            + "] of model ["
                            + served.modelId()
                            + "]; send the user's [history] to fold them in"
                    )
                );
                return;
            }
            float[] profile = profileField == null ? null : VectorsInSource.read(source, profileField);
            seen.addListener(l.map(items -> new UserVector(served.fields(), vector, UserVector.STORED, items, List.of(), profile)));
        }));
    }

    /** The items of a known user in the model's own interactions (what training saw as theirs). */
    private static void seenItems(ServedWals served, String id, Client client, ActionListener<List<String>> listener) {
        InteractionSource source = served.spec().interactions();
        SearchSourceBuilder search = new SearchSourceBuilder()
            .query(QueryBuilders.boolQuery().filter(QueryBuilders.termQuery(source.userField(), id)).filter(source.query()))
            .size(MAX_SEEN)
            // In index order (the order score ties give too): by score, the top 10,000 are a queue of as many
            // placeholders for the user's few items (Q1, over HTTP: 1.17 against 1.26 ms p50).
            .sort(FieldSortBuilder.DOC_FIELD_NAME)
            .fetchSource(false)
            // Nor the hits' _id: the item comes from doc values, and loading each hit's stored fields costs a
            // decompression of its block (Q1, over HTTP: 0.90 against 1.10 ms p50).
            .storedFields(StoredFieldsContext.fromList(List.of(StoredFieldsContext._NONE_)))
            .docValueField(source.itemField())
            .trackTotalHits(false);
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

    private static void foldIn(ServedWals served, List<UserSpec.HistoryItem> history, Client client, ActionListener<ModelUser> listener) {
        Map<String, Float> weights = new LinkedHashMap<>();
        for (UserSpec.HistoryItem h : history) {
            weights.merge(h.item(), h.weight(), Float::sum);
        }
        String contentField = served.contentField();
        String[] fields = contentField == null ? new String[]{ served.itemField() } : new String[]{ served.itemField(), contentField };
        ReadableSources.byId(
            client,
            served.itemIndex(),
            served.spec().items().idField(),
            weights.keySet(),
            fields,
            listener.delegateFailureAndWrap((l, sources) -> {
                int k = served.rank();
                float[] fixed = new float[weights.size() * k];
                int[] indices = new int[weights.size()];
                float[] w = new float[weights.size()];
                List<float[]> texts = new ArrayList<>();
                List<String> unknown = new ArrayList<>();
                int n = 0;
                for (Map.Entry<String, Float> item : weights.entrySet()) {
                    Map<String, Object> source = sources.getOrDefault(item.getKey(), Map.of());
                    float[] factor = VectorsInSource.read(source, served.itemField(), k);
                    if (factor == null) {
                        unknown.add(item.getKey());
                        continue;
                    }
                    System.arraycopy(factor, 0, fixed, n * k, k);
                    indices[n] = n;
                    w[n] = item.getValue();
                    n++;
                    float[] text = contentField == null ? null : VectorsInSource.read(source, contentField);
                    if (text != null) {
                        texts.add(text);
                    }
                }
                if (n == 0) {
                    l.onFailure(
                        new IllegalArgumentException(
                            "none of the "
                                + weights.size()
                                + " items of [user.history] has a factor in model ["
                                + served.modelId()
                                + "]: "
                                + unknown
                        )
                    );
                    return;
                }
                float[] vector = new FoldIn(
                    fixed,
                    n,
                    served.itemGram(),
                    served.spec().params(),
                    null,
                    served.userWeightScale(),
                    served.userLambdaScale()
                ).solve(indices, w, n);
                l.onResponse(
                    new UserVector(
                        served.fields(),
                        vector,
                        UserVector.FOLDED_IN,
                        List.copyOf(weights.keySet()),
                        unknown,
                        FusionFeatures.contentProfile(texts)
                    )
                );
            })
        );
    }
}

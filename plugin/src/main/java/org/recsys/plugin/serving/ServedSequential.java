package org.recsys.plugin.serving;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.sort.SortOrder;
import org.elasticsearch.threadpool.ThreadPool;
import org.recsys.core.sequential.SequentialModel;
import org.recsys.core.sequential.SequentialModelFile;
import org.recsys.core.sequential.TransitionFusion;
import org.recsys.plugin.store.ModelBlobs;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.training.FactorWriter;
import org.recsys.plugin.training.InteractionSource;
import org.recsys.plugin.training.SequentialTrainingSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The version a {@code sequential} model serves: the network itself (from the version's blob, run in plain Java) and
 * where its item vectors {@code [v, b]} are (the served slot's field of the item documents). A user is the encoder's
 * tail vector {@code [q, 1]} over their history, the one in the request or their interactions in the index, so
 * {@code knn} on the item field ranks by the network's {@code q·v + b}; the user also carries the fusion's transition
 * term of the successors of the history's last item, which the model's item scores (rescorer, {@code _recommend})
 * add, as the offline model does.
 */
public record ServedSequential(
    String modelId,
    long version,
    String slot,
    SequentialTrainingSpec spec,
    SequentialModel model,
    @Nullable String itemIdField,
    long memoryBytes
) implements ServedModel {

    /** Where the history came from, as {@code _recommend} reports it. */
    static final String FROM_REQUEST = "request";
    static final String FROM_INTERACTIONS = "interactions";

    /** Loads a stored version of a {@code sequential} model. */
    static ServedSequential load(ModelStore store, VersionRecord version, SequentialTrainingSpec spec) {
        SequentialModel model;
        byte[] bytes = store.blob(version, ModelBlobs.SEQUENTIAL_MODEL);
        try {
            model = SequentialModelFile.fromBytes(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(
                "version [" + version.version() + "] of model [" + version.modelId() + "] cannot be read: " + e.getMessage(),
                e
            );
        }
        return new ServedSequential(
            version.modelId(),
            version.version(),
            version.slot(),
            spec,
            model,
            VersionFields.itemIdField(spec.items(), version.metrics()),
            bytes.length
        );
    }

    public String itemIndex() {
        return spec.items().index();
    }

    public String itemField() {
        return spec.items().field(slot);
    }

    /** What the shards need of this version to score its items. */
    public VersionFields fields() {
        return new VersionFields(
            modelId,
            version,
            itemIndex(),
            itemField(),
            null,
            FactorWriter.countField(spec.items(), slot),
            null,
            null,
            null,
            0,
            itemIdField,
            spec.items().idField()
        );
    }

    /**
     * The history in the request (ordered by timestamp when every item has one, else as sent), or else the user's
     * interactions in the model's interactions index; the encoder runs on the search pool (a few milliseconds for
     * 200 items: not work for a network thread).
     */
    @Override
    public void resolveUser(UserSpec user, Client client, ActionListener<ModelUser> listener) {
        if (user.history().isEmpty() == false) {
            List<String> history;
            try {
                history = ordered(user.history());
            } catch (IllegalArgumentException e) {
                listener.onFailure(e);
                return;
            }
            encode(history, FROM_REQUEST, "[user.history]", client, listener);
        } else if (user.id() != null) {
            interactions(user.id(), client, listener.delegateFailureAndWrap((l, history) -> {
                if (history.isEmpty()) {
                    l.onFailure(
                        new ResourceNotFoundException(
                            "user ["
                                + user.id()
                                + "] has no interactions in ["
                                + spec.interactions().index()
                                + "] for model ["
                                + modelId
                                + "]; send the user's [history]"
                        )
                    );
                } else {
                    encode(history, FROM_INTERACTIONS, "the interactions of user [" + user.id() + "]", client, l);
                }
            }));
        } else {
            listener.onFailure(new IllegalArgumentException("[user] needs an [id] or a non-empty [history] for model [" + modelId + "]"));
        }
    }

    /** The history's item ids, oldest first: by timestamp (stable) when every item gives one, as sent when none does. */
    static List<String> ordered(List<UserSpec.HistoryItem> history) {
        long timed = history.stream().filter(h -> h.timestamp() != Long.MIN_VALUE).count();
        List<UserSpec.HistoryItem> items = history;
        if (timed == history.size()) {
            items = new ArrayList<>(history);
            items.sort(Comparator.comparingLong(UserSpec.HistoryItem::timestamp));
        } else if (timed > 0) {
            throw new IllegalArgumentException(
                "[user.history] gives a [timestamp] for "
                    + timed
                    + " of its "
                    + history.size()
                    + " items; give one for every item (they "
                    + "are then ordered by it) or for none (they are taken as sent, oldest first)"
            );
        }
        return items.stream().map(UserSpec.HistoryItem::item).toList();
    }

    /**
     * The user's items in the interactions the model trains on, oldest first, ordered as training orders them
     * (timestamp, then item); at most {@link WalsUsers#MAX_SEEN}, the most recent.
     */
    private void interactions(String userId, Client client, ActionListener<List<String>> listener) {
        InteractionSource source = spec.interactions();
        SearchSourceBuilder search = new SearchSourceBuilder()
            .query(
                QueryBuilders.boolQuery()
                    .filter(QueryBuilders.termQuery(source.userField(), userId))
                    .filter(QueryBuilders.existsQuery(source.timestampField()))
                    .filter(source.query())
            )
            .sort(source.timestampField(), SortOrder.DESC)
            .sort(source.itemField(), SortOrder.DESC)
            .size(WalsUsers.MAX_SEEN)
            .fetchSource(false)
            .docValueField(source.itemField())
            .trackTotalHits(false);
        client.prepareSearch(source.index()).setSource(search).execute(listener.map(response -> {
            SearchHit[] hits = response.getHits().getHits();
            List<String> items = new ArrayList<>(hits.length);
            for (int i = hits.length - 1; i >= 0; i--) {
                DocumentField item = hits[i].field(source.itemField());
                if (item != null && item.getValue() != null) {
                    items.add(item.getValue().toString());
                }
            }
            return items;
        }));
    }

    /** The fusion's term of each successor of the history's last item: what the model adds to their knn score. */
    private Map<String, Float> transitionTerms(int last) {
        TransitionFusion fusion = model.fusion();
        Map<String, Float> terms = new LinkedHashMap<>();
        for (int item : fusion.successors(last)) {
            terms.put(model.items().id(item), fusion.term(last, item));
        }
        return terms;
    }

    private void encode(List<String> history, String from, String what, Client client, ActionListener<ModelUser> listener) {
        client.threadPool().executor(ThreadPool.Names.SEARCH).execute(ActionRunnable.supply(listener, () -> {
            List<String> distinct = List.copyOf(new LinkedHashSet<>(history));
            List<String> unknown = distinct.stream().filter(item -> model.items().indexOf(item) < 0).toList();
            if (unknown.size() == distinct.size()) {
                throw new IllegalArgumentException(
                    "none of the "
                        + unknown.size()
                        + " items of "
                        + what
                        + " is known to version ["
                        + version
                        + "] of model ["
                        + modelId
                        + "]: "
                        + (unknown.size() > 20 ? unknown.subList(0, 20) + " ..." : unknown)
                );
            }
            SequentialModel.Query query = model.query(history);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("history", from);
            details.put("used_items", query.used());
            details.put("truncated_items", query.truncated());
            return new UserVector(
                fields(),
                query.vector(),
                UserVector.ENCODED,
                distinct,
                unknown,
                null,
                details,
                transitionTerms(query.last())
            );
        }));
    }
}

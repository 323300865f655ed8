package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.index.query.QueryBuilders;
import org.recsys.core.data.IdIndex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * The items' text vectors as a training reads them: one scan of the item documents that have one, each handed over
 * with the item's index in the model, for the users' content profiles and the learned fusion's content feature.
 */
final class ItemTexts {

    /** The share of the heap an array a training keeps per user or item may take; beyond it the request is refused. */
    static final double MAX_HEAP_SHARE = 0.25;

    private ItemTexts() {}

    /** Hands {@code each} the text vector and model index of every item of {@code ids} that has one. */
    static void forEach(Client client, FactorTarget items, String textField, int dims, IdIndex ids, ModelTask task, ObjIntConsumer<float[]> each) {
        IndexScan.forEach(client, items.index(), QueryBuilders.existsQuery(textField), items.idDocValueFields(), List.of(textField), task, hit -> {
            String id = items.externalId(hit);
            int row = id == null ? -1 : ids.indexOf(id);
            float[] text = row < 0 ? null : TextVectors.of(hit, textField, dims);
            if (text != null) {
                each.accept(text, row);
            }
        });
    }

    /**
     * Every item document's text vector by item id, those the model lacks included (the hybrid fusion's catalogue);
     * refused beyond {@link #MAX_HEAP_SHARE} of the heap for {@code count} documents.
     */
    static Map<String, float[]> all(Client client, FactorTarget items, String textField, int dims, ModelTask task) {
        long count = client.prepareSearch(items.index()).setSize(0).setTrackTotalHits(true).setQuery(QueryBuilders.existsQuery(textField))
            .get().getHits().getTotalHits().value;
        checkMemory("fusion", count + " items' text vectors", count * dims * Float.BYTES, Runtime.getRuntime().maxMemory());
        Map<String, float[]> out = new HashMap<>();
        IndexScan.forEach(client, items.index(), QueryBuilders.existsQuery(textField), items.idDocValueFields(), List.of(textField), task, hit -> {
            String id = items.externalId(hit);
            float[] text = id == null ? null : TextVectors.of(hit, textField, dims);
            if (text != null) {
                out.put(id, text);
            }
        });
        return out;
    }

    /** Refuses, naming {@code param} and the sizes, an array that would take more than {@link #MAX_HEAP_SHARE} of the heap. */
    static void checkMemory(String param, String what, long bytes, long maxHeap) {
        if (bytes > maxHeap * MAX_HEAP_SHARE) {
            throw new IllegalArgumentException(
                "[" + param + "] needs " + what + " in " + ByteSizeValue.ofBytes(bytes) + " of heap, more than a quarter of this node's "
                    + ByteSizeValue.ofBytes(maxHeap) + "; train without [" + param + "] or give the node more heap"
            );
        }
    }
}

package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.QueryBuilders;
import org.recsys.core.data.IdIndex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;

/**
 * The items' text vectors as a training reads them: one scan of the item documents that have one, for the users'
 * content profiles, the learned fusion's content feature and the hybrid fusion's catalogue.
 */
final class ItemTextVectorScan {

    private ItemTextVectorScan() {}

    /** Hands {@code each} the text vector and model index of every item of {@code ids} that has one. */
    static void forEach(
        Client client,
        FactorTarget items,
        String textField,
        int dims,
        IdIndex ids,
        ModelTask task,
        ObjIntConsumer<float[]> each
    ) {
        scan(client, items, textField, dims, task, (id, text) -> {
            int row = ids.indexOf(id);
            if (row >= 0) {
                each.accept(text, row);
            }
        });
    }

    /** Every item document's text vector by item id, those the model lacks included (the hybrid fusion's catalogue). */
    static Map<String, float[]> all(Client client, FactorTarget items, String textField, int dims, ModelTask task) {
        Map<String, float[]> out = new HashMap<>();
        scan(client, items, textField, dims, task, out::put);
        return out;
    }

    private static void scan(
        Client client,
        FactorTarget items,
        String textField,
        int dims,
        ModelTask task,
        BiConsumer<String, float[]> each
    ) {
        IndexScan.forEach(
            client,
            items.index(),
            QueryBuilders.existsQuery(textField),
            items.idDocValueFields(),
            List.of(textField),
            task,
            hit -> {
                String id = items.externalId(hit);
                float[] text = id == null ? null : TextVectorField.of(hit, textField, dims);
                if (text != null) {
                    each.accept(id, text);
                }
            }
        );
    }
}

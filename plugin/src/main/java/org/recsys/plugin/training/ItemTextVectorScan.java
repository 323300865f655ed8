package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
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
        IndexScan.forEach(
            client,
            items.index(),
            QueryBuilders.existsQuery(textField),
            items.idDocValueFields(),
            List.of(textField),
            task,
            hit -> {
                String id = items.externalId(hit);
                int row = id == null ? -1 : ids.indexOf(id);
                float[] text = row < 0 ? null : TextVectorField.of(hit, textField, dims);
                if (text != null) {
                    each.accept(text, row);
                }
            }
        );
    }

    /** Every item document's text vector by item id, those the model lacks included (the hybrid fusion's catalogue). */
    static Map<String, float[]> all(Client client, FactorTarget items, String textField, int dims, ModelTask task) {
        Map<String, float[]> out = new HashMap<>();
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
                    out.put(id, text);
                }
            }
        );
        return out;
    }
}

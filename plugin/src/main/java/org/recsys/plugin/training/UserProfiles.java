package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.index.query.QueryBuilders;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.fusion.ContentProfiles;

import java.util.List;

/**
 * The content step of a training: one scan of the item documents that have a text vector adds each to the profiles
 * of its users (core {@link ContentProfiles}), which {@link FactorWriter} writes beside the users' factors.
 */
final class UserProfiles {

    /** The share of the heap the profiles' sums may take; beyond it the request is refused rather than risk the node. */
    static final double MAX_HEAP_SHARE = 0.25;

    private UserProfiles() {}

    static ContentProfiles build(Client client, FactorTarget items, ContentSpec spec, int dims, InteractionMatrix matrix, ModelTask task) {
        checkMemory(matrix.users().size(), dims, Runtime.getRuntime().maxMemory());
        ContentProfiles profiles = new ContentProfiles(matrix.byItem(), dims);
        IndexScan.forEach(client, items.index(), QueryBuilders.existsQuery(spec.textField()), items.idDocValueFields(), List.of(spec.textField()), task, hit -> {
            String id = FactorWriter.externalId(items, hit);
            int row = id == null ? -1 : matrix.items().indexOf(id);
            float[] text = row < 0 ? null : TextVectors.of(hit, spec.textField(), dims);
            if (text != null) {
                profiles.add(row, text);
            }
        });
        return profiles;
    }

    static void checkMemory(int users, int dims, long maxHeap) {
        long bytes = ContentProfiles.bytes(users, dims);
        if (bytes > maxHeap * MAX_HEAP_SHARE) {
            throw new IllegalArgumentException(
                "[content] profiles of " + users + " users with " + dims + " dims need " + ByteSizeValue.ofBytes(bytes)
                    + " of heap, more than a quarter of this node's " + ByteSizeValue.ofBytes(maxHeap)
                    + "; train without [content] (the rescorer then reads the users' items per request) or give the node more heap"
            );
        }
    }
}

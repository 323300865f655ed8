package org.recsys.core.melu;

import org.recsys.core.data.IdIndex;

import java.util.List;

/** The items a model knows, each with its encoded features; an item outside it cannot be scored or used. */
public final class ItemCatalog {

    private final IdIndex ids = new IdIndex();
    private final EncodedFeatures[] features;

    ItemCatalog(List<String> itemIds, List<EncodedFeatures> itemFeatures) {
        if (itemIds.size() != itemFeatures.size()) {
            throw new IllegalArgumentException("[" + itemIds.size() + "] item ids but [" + itemFeatures.size() + "] feature sets");
        }
        itemIds.forEach(id -> {
            if (ids.indexOf(id) >= 0) {
                throw new IllegalArgumentException("item [" + id + "] is in the catalogue twice");
            }
            ids.add(id);
        });
        this.features = itemFeatures.toArray(EncodedFeatures[]::new);
    }

    public int size() {
        return features.length;
    }

    /** The item's index, or -1 if the catalogue does not have it. */
    public int indexOf(String itemId) {
        return ids.indexOf(itemId);
    }

    /** Every item id, by index. */
    public List<String> ids() {
        return ids.ids();
    }

    public String id(int index) {
        return ids.id(index);
    }

    public EncodedFeatures features(int index) {
        return features[index];
    }
}

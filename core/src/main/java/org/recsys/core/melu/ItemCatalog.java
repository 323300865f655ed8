package org.recsys.core.melu;

import org.recsys.core.data.IdIndex;

import java.util.List;
import java.util.Map;

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

    /** Every item of {@code rawItems} (item id to raw features, in the map's order) encoded with {@code vocabulary}. */
    public static ItemCatalog encode(FeatureVocabulary vocabulary, Map<String, Map<String, List<String>>> rawItems) {
        return new ItemCatalog(
            List.copyOf(rawItems.keySet()),
            rawItems.values().stream().map(raw -> vocabulary.encode(FeatureField.Side.ITEM, raw)).toList()
        );
    }

    public int size() {
        return features.length;
    }

    /** The item's index, or -1 if the catalogue does not have it. */
    public int indexOf(String itemId) {
        return ids.indexOf(itemId);
    }

    public String id(int index) {
        return ids.id(index);
    }

    public EncodedFeatures features(int index) {
        return features[index];
    }
}

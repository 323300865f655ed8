package org.recsys.core.fusion;

import org.recsys.core.util.EnumIds;

/**
 * The features a fused score is made of, in the order of a feature vector and of a weights array. Their values come
 * from {@link FusionFeatures}, the one definition the rescorer, the script engine and the trainer share.
 */
public enum FusionFeature {
    /** The dot product of the user's factor and the item's factor. */
    COLLABORATIVE,
    /** The cosine between the user's content profile and the item's text vector; 0 when either is missing. */
    CONTENT,
    /** log(1 + the item's interaction count). */
    POPULARITY,
    /** The score of the candidate in the first phase of the search (the {@code knn} score, or any query's). */
    FIRST_PHASE,
    /**
     * 1 when the item has no interaction, so its factor (if any) was projected from its text and its collaborative
     * score is on another scale than a trained item's; 0 otherwise.
     */
    PROJECTED;

    public static final int COUNT = values().length;

    public String id() {
        return EnumIds.id(this);
    }

    public static FusionFeature fromId(String id) {
        return EnumIds.parse(FusionFeature.class, id, "fusion feature");
    }

    public static String ids() {
        return EnumIds.ids(FusionFeature.class);
    }
}

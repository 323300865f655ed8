package org.recsys.core.eval;

import org.recsys.core.util.EnumIds;

/** What an interaction row contributes as its raw weight: 1 for every row, or its rating. */
public enum Weighting {
    BINARY, RATING;

    public float weight(Rating r) {
        return this == BINARY ? 1f : r.rating();
    }

    public String id() {
        return EnumIds.id(this);
    }

    public static Weighting fromId(String id) {
        return EnumIds.parse(Weighting.class, id, "weighting");
    }
}

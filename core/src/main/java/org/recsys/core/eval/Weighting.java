package org.recsys.core.eval;

import java.util.Locale;

/** What an interaction row contributes as its raw weight: 1 for every row, or its rating. */
public enum Weighting {
    BINARY,
    RATING;

    public float weight(Rating r) {
        return this == BINARY ? 1f : r.rating();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Weighting fromId(String id) {
        for (Weighting w : values()) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown weighting [" + id + "]; expected [binary] or [rating]");
    }
}

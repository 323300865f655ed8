package org.recsys.core.wals;

import java.util.Locale;

/** How each row's k×k least-squares system is solved. */
public enum Solver {
    /** Exact: the normal equations by Cholesky decomposition, O(n·k² + k³) per row. */
    CHOLESKY,
    /** Conjugate gradient warm-started at the row's previous factor, a few steps per row, O(steps·(n·k + k²)). */
    CG;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Solver fromId(String id) {
        for (Solver s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown solver [" + id + "]; expected [cholesky] or [cg]");
    }
}

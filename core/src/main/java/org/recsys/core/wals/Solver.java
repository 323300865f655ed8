package org.recsys.core.wals;

import org.recsys.core.util.EnumIds;

/** How each row's k×k least-squares system is solved. */
public enum Solver {
    /** Exact: the normal equations by Cholesky decomposition, O(n·k² + k³) per row. */
    CHOLESKY,
    /**
     * Conjugate gradient preconditioned by G = w0·YᵀY + λI (the part of every row's system shared by all rows),
     * warm-started at the row's previous factor, a few steps per row, O(steps·(n·k + k²)).
     */
    CG;

    public String id() {
        return EnumIds.id(this);
    }

    public static Solver fromId(String id) {
        return EnumIds.parse(Solver.class, id, "solver");
    }
}

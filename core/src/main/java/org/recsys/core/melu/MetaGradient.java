package org.recsys.core.melu;

import java.util.Arrays;
import java.util.Locale;

/** How the query loss is differentiated through the local steps. */
public enum MetaGradient {
    /** Treats the fast weights as independent of the start weights (FOMAML): one backward pass per task. */
    FIRST_ORDER,
    /** Differentiates through every local step with exact Hessian-vector products: one more pass per step. */
    SECOND_ORDER;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace("_order", "");
    }

    public static MetaGradient fromId(String id) {
        for (MetaGradient m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
            "[meta_gradient] is [" + id + "]; it must be one of " + Arrays.stream(values()).map(MetaGradient::id).toList()
        );
    }
}

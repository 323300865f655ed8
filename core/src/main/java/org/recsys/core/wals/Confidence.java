package org.recsys.core.wals;

import org.recsys.core.util.EnumIds;

/**
 * How a raw interaction weight r becomes the confidence c = 1 + extra(r) of an observed entry (Hu, Koren and
 * Volinsky 2008): linear {@code alpha * r}, or logarithmic {@code alpha * log(1 + r / epsilon)}.
 */
public enum Confidence {
    LINEAR {
        @Override
        public float extra(float r, float alpha, float epsilon) {
            return alpha * r;
        }
    },
    LOG {
        @Override
        public float extra(float r, float alpha, float epsilon) {
            return (float) (alpha * Math.log1p(r / epsilon));
        }
    };

    /** The confidence above 1 that an observed weight {@code r} gives. */
    public abstract float extra(float r, float alpha, float epsilon);

    public String id() {
        return EnumIds.id(this);
    }

    public static Confidence fromId(String id) {
        return EnumIds.parse(Confidence.class, id, "confidence");
    }
}

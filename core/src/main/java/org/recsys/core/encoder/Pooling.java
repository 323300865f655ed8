package org.recsys.core.encoder;

import org.recsys.core.util.EnumIds;

/** How token states become one vector per text. */
public enum Pooling {
    /** The first token's last hidden state ([CLS] or &lt;s&gt;). */
    CLS,
    /** The mean of the last hidden states over real (non-padding) tokens. */
    MEAN,
    /** The mean over real tokens of the average of the last four layers' hidden states. */
    TOP4_MEAN;

    public String id() {
        return EnumIds.id(this);
    }

    public static Pooling fromId(String id) {
        return EnumIds.parse(Pooling.class, id, "pooling");
    }
}

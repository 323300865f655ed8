package org.recsys.core.encoder;

import ai.djl.ndarray.NDArray;
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

    /** How many of the last layers' hidden states this pooling averages. */
    int layers() {
        return this == TOP4_MEAN ? 4 : 1;
    }

    /** [batch, hidden] from hidden states [batch, length, hidden] and the float mask [batch, length] of real tokens. */
    NDArray pool(NDArray states, NDArray mask) {
        if (this == CLS) {
            return states.get(":, 0, :");
        }
        NDArray m = mask.expandDims(2);
        return states.mul(m).sum(new int[]{ 1 }).div(m.sum(new int[]{ 1 }));
    }

    /** Each row of [batch, dim] divided by its L2 norm (a zero row stays zero). */
    static NDArray unitLength(NDArray rows) {
        return rows.div(rows.square().sum(new int[]{ 1 }, true).sqrt().maximum(1e-12f));
    }
}

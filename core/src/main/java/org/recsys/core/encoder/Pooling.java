package org.recsys.core.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How token states become one vector per text. */
public enum Pooling {
    /** The first token's last hidden state ([CLS] or &lt;s&gt;). */
    CLS,
    /** The mean of the last hidden states over real (non-padding) tokens. */
    MEAN,
    /** The mean over real tokens of the average of the last four layers' hidden states. */
    TOP4_MEAN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Pooling fromId(String id) {
        for (Pooling p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
            "unknown pooling [" + id + "]; expected one of " + Arrays.stream(values()).map(Pooling::id).collect(Collectors.joining(", ", "[", "]"))
        );
    }
}

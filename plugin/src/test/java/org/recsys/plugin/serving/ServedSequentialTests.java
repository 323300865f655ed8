package org.recsys.plugin.serving;

import org.elasticsearch.test.ESTestCase;

import java.util.List;

public class ServedSequentialTests extends ESTestCase {

    private static UserSpec.HistoryItem item(String id, long timestamp) {
        return new UserSpec.HistoryItem(id, 1f, Float.NaN, timestamp);
    }

    public void testAHistoryIsOrderedByItsTimestampsOrTakenAsSent() {
        assertEquals(List.of("b", "c", "a"), ServedSequential.ordered(List.of(item("a", 30), item("b", 10), item("c", 10))));
        long none = Long.MIN_VALUE;
        assertEquals(List.of("a", "b", "c"), ServedSequential.ordered(List.of(item("a", none), item("b", none), item("c", none))));
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> ServedSequential.ordered(List.of(item("a", 3), item("b", none)))
        );
        assertEquals(
            "[user.history] gives a [timestamp] for 1 of its 2 items; give one for every item (they are then ordered by it) or for none "
                + "(they are taken as sent, oldest first)",
            e.getMessage()
        );
    }
}

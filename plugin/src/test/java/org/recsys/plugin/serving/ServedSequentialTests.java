package org.recsys.plugin.serving;

import org.elasticsearch.common.io.stream.BytesStreamOutput;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.test.ESTestCase;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class ServedSequentialTests extends ESTestCase {

    private static UserSpec.HistoryItem item(String id, long timestamp) {
        return new UserSpec.HistoryItem(id, 1f, Float.NaN, timestamp);
    }

    public void testAHistoryIsOrderedByItsTimestampsOrTakenAsSent() {
        assertEquals(List.of("b", "c", "a"), ServedSequential.ordered(List.of(item("a", 30), item("b", 10), item("c", 10))));
        long none = Long.MIN_VALUE;
        assertEquals(List.of("a", "b", "c"), ServedSequential.ordered(List.of(item("a", none), item("b", none), item("c", none))));
        IllegalArgumentException e =
            expectThrows(IllegalArgumentException.class, () -> ServedSequential.ordered(List.of(item("a", 3), item("b", none))));
        assertEquals(
            "[user.history] gives a [timestamp] for 1 of its 2 items; give one for every item (they are then ordered by it) or for none "
                + "(they are taken as sent, oldest first)",
            e.getMessage()
        );
    }

    /** A shard on another node must get the transition terms the coordinating node resolved, or it ranks by knn's score. */
    public void testTheTransitionTermsTravelWithTheUser() throws IOException {
        Map<String, Float> terms = new LinkedHashMap<>();
        terms.put("potter-3", 1.5f);
        terms.put("potter-4", 0.25f);
        UserVector user = new UserVector(
            new VersionFields("m", 3, "books", "seq_a", null, "seq_a_count", null, null, null, 0, null, "_id"),
            new float[]{ 0.5f, -1f, 1f },
            UserVector.ENCODED,
            List.of("potter-1", "potter-2"),
            List.of("nope"),
            null,
            Map.of("used_items", 2),
            terms
        );
        BytesStreamOutput out = new BytesStreamOutput();
        user.writeTo(out);
        try (StreamInput in = out.bytes().streamInput()) {
            UserVector read = new UserVector(in);
            assertEquals(user, read);
            assertEquals(terms, read.itemTerms());
        }
    }
}

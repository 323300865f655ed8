package org.recsys.plugin.training;

import org.elasticsearch.test.ESTestCase;
import org.recsys.core.sequential.UserSequences;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class OrderedSequencesTests extends ESTestCase {

    /** Item ids of a user's training sequence. */
    private static List<String> sequence(UserSequences s, String user) {
        List<String> out = new ArrayList<>();
        for (int i : s.sequence(s.users().indexOf(user))) {
            out.add(s.items().id(i));
        }
        return out;
    }

    public void testOrdersByTimestampThenItemAndHoldsOutTheLast() {
        OrderedSequences read = new OrderedSequences();
        // Read in no particular order, as a point-in-time scan returns documents.
        read.add("2", "30", 5);
        read.add("10", "9", 1);
        read.add("2", "10", 1);
        read.add("10", "10", 1);
        read.add("2", "9", 1);
        read.add("10", "7", 3);
        read.add("5", "9", 4);
        OrderedSequences.Split numeric = read.split(true, true);
        UserSequences training = numeric.training();
        assertEquals(List.of("2", "5", "10"), training.users().ids());
        // Ties at timestamp 1 go by item as numbers: 9 before 10; the last (30, then 7) is held out.
        assertEquals(List.of("9", "10"), sequence(training, "2"));
        assertEquals(List.of("9"), sequence(training, "5"));
        assertEquals(List.of("9", "10"), sequence(training, "10"));
        assertEquals(List.of("9", "10"), training.items().ids());
        assertEquals(3, numeric.users());
        assertEquals(7, numeric.interactions());
        // Users 2 and 10 are validated; user 5 has one interaction, trained on and not validated.
        assertEquals(2, numeric.validation().size());

        // As keywords, "10" sorts before "2" and before "9".
        UserSequences keywords = read.split(false, false).training();
        assertEquals(List.of("10", "2", "5"), keywords.users().ids());
        assertEquals(List.of("10", "9"), sequence(keywords, "2"));
        assertEquals(List.of("10", "9"), sequence(keywords, "10"));
    }

    public void testTheOrderDoesNotDependOnTheReadOrder() {
        String[][] rows =
            { { "a", "x", "3" }, { "a", "y", "3" }, { "b", "y", "1" }, { "a", "z", "1" }, { "b", "x", "2" }, { "b", "z", "2" } };
        List<String[]> shuffled = new ArrayList<>(Arrays.asList(rows));
        List<List<String>> first = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            java.util.Collections.shuffle(shuffled, random());
            OrderedSequences read = new OrderedSequences();
            shuffled.forEach(r -> read.add(r[0], r[1], Long.parseLong(r[2])));
            UserSequences s = read.split(false, false).training();
            List<List<String>> got = List.of(s.items().ids(), sequence(s, "a"), sequence(s, "b"));
            if (first == null) {
                first = got;
                assertEquals(List.of("z", "x"), sequence(s, "a"));
                assertEquals(List.of("y", "x"), sequence(s, "b"));
            }
            assertEquals(first, got);
        }
    }
}

package org.recsys.core.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SequentialRecommendationsTest {

    @Test
    void historiesAreInOrderOfTimeWithTiesInFileOrderAndValidLast() {
        // As P3's files are: sorted by user and item, not by time.
        List<Rating> train = List.of(
            new Rating("u1", "1", 5, 300),
            new Rating("u1", "2", 3, 100),
            new Rating("u1", "10", 4, 300),
            new Rating("u1", "9", 4, 200),
            new Rating("u2", "3", 1, 50)
        );
        List<Rating> valid = List.of(new Rating("u1", "4", 1, 300), new Rating("u2", "1", 2, 60));
        Map<String, List<String>> histories = SequentialRecommendations.chronological(train, valid);
        assertEquals(List.of("u1", "u2"), List.copyOf(histories.keySet()));
        assertEquals(List.of("2", "9", "1", "10", "4"), histories.get("u1"));
        assertEquals(List.of("3", "1"), histories.get("u2"));
        assertEquals(List.of("2", "9", "1", "10"), SequentialRecommendations.chronological(train, List.of()).get("u1"));
    }
}

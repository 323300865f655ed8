package org.recsys.core.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A few-shot split made the way P4 was: users with {@code minRatings..maxRatings} ratings are candidates, a fraction
 * of them (chosen by a seeded shuffle) become new users whose ratings are ordered by (timestamp, item); the newest
 * {@code queryCount} are their query, the older ones their support. Every other user's rows stay in {@code train}.
 */
public record NewUserSplit(List<Rating> train, List<Rating> support, List<Rating> query) {

    /** Rows grouped by user in order of first appearance, each user's rows ordered by (timestamp, item). */
    public static Map<String, List<Rating>> chronological(List<Rating> rows) {
        Map<String, List<Rating>> byUser = new LinkedHashMap<>();
        for (Rating r : rows) {
            byUser.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r);
        }
        Comparator<Rating> order = Comparator.comparingLong(Rating::timestamp).thenComparing(Rating::item);
        byUser.values().forEach(list -> list.sort(order));
        return byUser;
    }

    public static NewUserSplit carveOut(List<Rating> rows, double fraction, int minRatings, int maxRatings, int queryCount, long seed) {
        Map<String, List<Rating>> byUser = chronological(rows);
        List<String> candidates = new ArrayList<>();
        byUser.forEach((user, list) -> {
            if (list.size() >= minRatings && list.size() <= maxRatings) {
                candidates.add(user);
            }
        });
        Collections.shuffle(candidates, new Random(seed));
        List<String> newUsers = candidates.subList(0, (int) Math.round(fraction * candidates.size()));
        Set<String> isNew = new HashSet<>(newUsers);
        List<Rating> train = new ArrayList<>();
        List<Rating> support = new ArrayList<>();
        List<Rating> query = new ArrayList<>();
        byUser.forEach((user, list) -> {
            if (isNew.contains(user)) {
                support.addAll(list.subList(0, list.size() - queryCount));
                query.addAll(list.subList(list.size() - queryCount, list.size()));
            } else {
                train.addAll(list);
            }
        });
        return new NewUserSplit(train, support, query);
    }
}

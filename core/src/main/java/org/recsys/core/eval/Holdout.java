package org.recsys.core.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Validation carve-outs: each user's rows split at random (the way P1 was made), or their most recent rows held out. */
public final class Holdout {

    /** The rows kept for fitting and the rows held out for scoring. */
    public record Split(List<Rating> fit, List<Rating> heldOut) {}

    private Holdout() {}

    /**
     * Holds out {@code round(fraction · n)} of each user's n rows (none of a user with a single row), chosen by a
     * shuffle seeded with {@code seed}; the order of users and rows in the input does not matter beyond ties.
     */
    public static Split perUser(List<Rating> rows, double fraction, long seed) {
        Map<String, List<Rating>> byUser = new LinkedHashMap<>();
        for (Rating r : rows) {
            byUser.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r);
        }
        Random random = new Random(seed);
        List<Rating> fit = new ArrayList<>();
        List<Rating> heldOut = new ArrayList<>();
        for (List<Rating> userRows : byUser.values()) {
            List<Rating> shuffled = new ArrayList<>(userRows);
            Collections.shuffle(shuffled, random);
            int hold = userRows.size() < 2 ? 0 : (int) Math.round(fraction * userRows.size());
            heldOut.addAll(shuffled.subList(0, hold));
            fit.addAll(shuffled.subList(hold, shuffled.size()));
        }
        return new Split(fit, heldOut);
    }

    /**
     * Holds out the most recent {@code round(fraction · n)} of each user's n rows by (timestamp, item), none of a user
     * with a single row: what a model is asked to predict when it has seen the older part.
     */
    public static Split recentPerUser(List<Rating> rows, double fraction) {
        Map<String, List<Rating>> byUser = new LinkedHashMap<>();
        for (Rating r : rows) {
            byUser.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r);
        }
        List<Rating> fit = new ArrayList<>();
        List<Rating> heldOut = new ArrayList<>();
        Comparator<Rating> byTime = Comparator.comparingLong(Rating::timestamp).thenComparing(Rating::item);
        for (List<Rating> userRows : byUser.values()) {
            List<Rating> ordered = new ArrayList<>(userRows);
            ordered.sort(byTime);
            int hold = userRows.size() < 2 ? 0 : (int) Math.round(fraction * userRows.size());
            fit.addAll(ordered.subList(0, ordered.size() - hold));
            heldOut.addAll(ordered.subList(ordered.size() - hold, ordered.size()));
        }
        return new Split(fit, heldOut);
    }
}

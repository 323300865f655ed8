package org.recsys.plugin.training;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A user's items in the one form that both the training (which keeps them with the user's factor) and a search of
 * the interactions give them: in the order of their ids, whatever order the interactions are stored or read in. An
 * item the user has twice in the interactions stays twice, as {@code _recommend} has always counted it (one more
 * neighbour each); the training keeps each item once, so such a user is never taken for the one the training kept.
 */
public final class UserItems {

    private UserItems() {}

    public static List<String> of(Collection<String> items) {
        List<String> sorted = new ArrayList<>(items);
        sorted.sort(null);
        return List.copyOf(sorted);
    }
}

package org.recsys.plugin.training;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A user's items in the one form that both the training (which keeps them with the user's factor) and a search of
 * the interactions give them: each once, in the order of their ids, whatever order the interactions are stored or
 * read in. Once, as a history's items are (fold-in): {@code _recommend} asks {@code knn} for one more neighbour per
 * item of the user, and an item read twice is still one neighbour to drop.
 */
public final class UserItems {

    private UserItems() {}

    public static List<String> of(Collection<String> items) {
        return List.copyOf(new TreeSet<>(items));
    }
}

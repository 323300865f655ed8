package org.recsys.core.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HoldoutTest {

    @Test
    void holdsOutARoundedFractionOfEachUserAndLosesNothing() {
        List<Rating> rows = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            for (int i = 0; i <= u; i++) {
                rows.add(new Rating("u" + u, "i" + i, 1, i));
            }
        }
        Holdout.Split split = Holdout.perUser(rows, 0.25, 5);
        Set<Rating> all = new HashSet<>(split.fit());
        all.addAll(split.heldOut());
        assertEquals(new HashSet<>(rows), all);
        assertEquals(rows.size(), split.fit().size() + split.heldOut().size());
        for (int u = 0; u < 10; u++) {
            String user = "u" + u;
            long held = split.heldOut().stream().filter(r -> r.user().equals(user)).count();
            assertEquals(u == 0 ? 0 : Math.round(0.25 * (u + 1)), held, user);
        }
        assertEquals(split.heldOut(), Holdout.perUser(rows, 0.25, 5).heldOut());
    }
}

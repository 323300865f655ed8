package org.recsys.core.wals;

import org.recsys.core.data.InteractionMatrix;

import java.util.Random;

/** Interactions with a planted low-rank structure: users and items in a few clusters, users favour their cluster. */
final class Synthetic {

    private Synthetic() {}

    static InteractionMatrix clustered(int users, int items, int clusters, int perUser, long seed) {
        Random random = new Random(seed);
        InteractionMatrix.Builder b = new InteractionMatrix.Builder();
        for (int u = 0; u < users; u++) {
            int cluster = u % clusters;
            for (int n = 0; n < perUser; n++) {
                int item = random.nextDouble() < 0.8 ? cluster + clusters * random.nextInt(items / clusters) : random.nextInt(items);
                b.add("u" + u, "i" + item, 1 + random.nextInt(5));
            }
        }
        return b.build();
    }
}

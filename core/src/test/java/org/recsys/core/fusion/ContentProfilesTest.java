package org.recsys.core.fusion;

import org.junit.jupiter.api.Test;
import org.recsys.core.data.Csr;
import org.recsys.core.data.InteractionMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentProfilesTest {

    @Test
    void eachProfileIsTheUnitMeanOfTheUsersItems() {
        Random random = new Random(3);
        InteractionMatrix.Builder builder = new InteractionMatrix.Builder();
        for (int i = 0; i < 400; i++) {
            builder.add("u" + random.nextInt(30), "i" + random.nextInt(50), 1f);
        }
        builder.add("lonely", "no-text", 1f);
        InteractionMatrix m = builder.build();
        int dims = 5;
        int noText = m.items().indexOf("no-text");
        float[][] texts = new float[m.items().size()][];
        for (int i = 0; i < texts.length; i++) {
            if (i != noText) {
                texts[i] = new float[dims];
                for (int d = 0; d < dims; d++) {
                    texts[i][d] = (float) random.nextGaussian();
                }
            }
        }
        Csr byItem = m.byItem();
        ContentProfiles whole = profiles(byItem, texts);
        Csr byUser = m.byUser();
        for (int u = 0; u < m.users().size(); u++) {
            List<float[]> mine = new ArrayList<>();
            for (int p = byUser.start(u); p < byUser.end(u); p++) {
                if (texts[byUser.columns()[p]] != null) {
                    mine.add(texts[byUser.columns()[p]]);
                }
            }
            float[] expected = FusionFeatures.contentProfile(mine);
            if (expected == null) {
                assertNull(whole.profile(u), "user " + m.users().id(u));
            } else {
                assertArrayEquals(expected, whole.profile(u), 1e-5f, "user " + m.users().id(u));
            }
        }
        assertNull(whole.profile(m.users().indexOf("lonely")));
    }

    @Test
    void sizesAreChecked() {
        InteractionMatrix m = new InteractionMatrix.Builder().add("u", "i", 1f).build();
        assertThrows(IllegalArgumentException.class, () -> new ContentProfiles(m.byItem(), 0));
        ContentProfiles p = new ContentProfiles(m.byItem(), 3);
        assertThrows(IllegalArgumentException.class, () -> p.add(0, new float[2]));
        assertEquals(4L * 3 * 1_000_000, ContentProfiles.bytes(1_000_000, 3));
    }

    private static ContentProfiles profiles(Csr byItem, float[][] texts) {
        ContentProfiles p = new ContentProfiles(byItem, 5);
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] != null) {
                p.add(i, texts[i]);
            }
        }
        return p;
    }
}

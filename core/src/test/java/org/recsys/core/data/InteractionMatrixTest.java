package org.recsys.core.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InteractionMatrixTest {

    private static InteractionMatrix sample() {
        return new InteractionMatrix.Builder().add("u1", "b", 1f)
            .add("u2", "a", 2f)
            .add("u1", "a", 3f)
            .add("u1", "b", 4f) // repeated pair: summed
            .add("u3", "c", 0.5f)
            .build();
    }

    @Test
    void rowsAreSortedByColumnAndRepeatedPairsSummed() {
        InteractionMatrix m = sample();
        assertEquals(4, m.nnz());
        int u1 = m.users().indexOf("u1");
        Csr byUser = m.byUser();
        assertEquals(2, byUser.rowLength(u1));
        int a = m.items().indexOf("a");
        int b = m.items().indexOf("b");
        assertArrayEquals(
            new int[]{ Math.min(a, b), Math.max(a, b) },
            java.util.Arrays.copyOfRange(byUser.columns(), byUser.start(u1), byUser.end(u1))
        );
        assertEquals(3f, valueAt(byUser, u1, a));
        assertEquals(5f, valueAt(byUser, u1, b));
    }

    @Test
    void byItemIsTheTranspose() {
        InteractionMatrix m = sample();
        for (int u = 0; u < m.users().size(); u++) {
            for (int e = m.byUser().start(u); e < m.byUser().end(u); e++) {
                int item = m.byUser().columns()[e];
                assertEquals(m.byUser().values()[e], valueAt(m.byItem(), item, u));
            }
        }
        assertEquals(m.nnz(), m.byItem().nnz());
        assertEquals(16L * m.nnz() + 4L * (m.users().size() + 1 + m.items().size() + 1), m.bytes());
    }

    @Test
    void negativeOrNonFiniteWeightsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InteractionMatrix.Builder().add("u", "i", -1f));
        assertThrows(IllegalArgumentException.class, () -> new InteractionMatrix.Builder().add("u", "i", Float.NaN));
    }

    private static float valueAt(Csr m, int row, int column) {
        for (int e = m.start(row); e < m.end(row); e++) {
            if (m.columns()[e] == column) {
                return m.values()[e];
            }
        }
        return Float.NaN;
    }
}

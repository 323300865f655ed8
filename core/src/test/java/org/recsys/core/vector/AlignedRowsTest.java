package org.recsys.core.vector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlignedRowsTest {

    @Test
    void smallMatricesAreNotPaddedAndLargeOnesAreHumongous() {
        assertEquals(AlignedRows.BASE + 300 * 8, AlignedRows.allocate(300, 8).length);
        assertEquals((16 << 20) / Float.BYTES, AlignedRows.allocate(26_744, 64).length);
        assertEquals(AlignedRows.BASE + 138_493 * 64, AlignedRows.allocate(138_493, 64).length);
        assertTrue((AlignedRows.BASE * Float.BYTES + 16) % 64 == 0, "row 0 is not 64 bytes after a 16-byte header");
    }

    @Test
    void aMatrixTooLargeForOneArrayIsRefusedWithItsShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlignedRows.allocate(40_000_000, 64));
        assertEquals("[40000000] rows of [64] floats do not fit in one array", e.getMessage());
    }
}

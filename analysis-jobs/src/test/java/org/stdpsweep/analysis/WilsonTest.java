package org.stdpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WilsonTest {

    /**
     * Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no
     * continuity correction), printed to 4 decimals.
     */
    @Test
    void matchesNewcombeTable() {
        assertInterval(81, 263, 0.2553, 0.3662, 5e-5);
        assertInterval(15, 148, 0.0624, 0.1605, 5e-5);
        assertInterval(0, 20, 0.0000, 0.1611, 5e-5);
        assertInterval(1, 29, 0.0061, 0.1718, 5e-5);
    }

    /** Full-precision values of the closed form, computed independently with python3 floats. */
    @Test
    void matchesClosedFormToRounding() {
        assertInterval(81, 263, 0.2552885198782742, 0.36620957698280004, 1e-14);
        assertInterval(15, 148, 0.0623863995307363, 0.16048724172330803, 1e-14);
        assertInterval(1, 29, 0.006113214292762653, 0.17175521879320288, 1e-14);
        assertInterval(29, 29, 0.8830302015002593, 1.0, 1e-14);
    }

    @Test
    void boundsAreClampedAtTheEnds() {
        assertEquals(0.0, Wilson.interval(0, 7, Wilson.Z95)[0]);
        assertEquals(1.0, Wilson.interval(7, 7, Wilson.Z95)[1]);
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval(1, 0, Wilson.Z95));
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval(5, 4, Wilson.Z95));
        assertThrows(IllegalArgumentException.class, () -> Wilson.interval(-1, 4, Wilson.Z95));
    }

    private static void assertInterval(long s, long n, double lo, double hi, double tol) {
        assertArrayEquals(new double[] {lo, hi}, Wilson.interval(s, n, Wilson.Z95), tol, s + " of " + n);
    }
}

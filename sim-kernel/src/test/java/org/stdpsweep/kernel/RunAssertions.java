package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions on whole {@link RunResult}s, for the determinism tests. */
final class RunAssertions {
    private RunAssertions() {
    }

    /** Every field equal, doubles compared by their raw bits. */
    static void assertBitIdentical(RunResult expected, RunResult actual, String what) {
        assertEquals(expected.converged(), actual.converged(), what + ": converged");
        assertEquals(expected.winner(), actual.winner(), what + ": winner");
        assertEquals(bits(expected.finalDist()), bits(actual.finalDist()), what + ": final dist bits");
        assertEquals(bits(expected.finalMargin()), bits(actual.finalMargin()), what + ": final margin bits");
        assertEquals(expected.thetaExit(), actual.thetaExit(), what + ": Theta exit");
        assertArrayEquals(expected.hitTimes(), actual.hitTimes(), what + ": hit times");
        assertEquals(expected.stopReason(), actual.stopReason(), what + ": stop reason");
        assertEquals(expected.iterationsRun(), actual.iterationsRun(), what + ": iterations run");
        assertArrayEquals(expected.checkpoints(), actual.checkpoints(), what + ": checkpoints");
        assertArrayEquals(bits(expected.checkpointDist()), bits(actual.checkpointDist()), what + ": checkpoint dist bits");
        assertArrayEquals(bits(expected.checkpointMargin()), bits(actual.checkpointMargin()),
            what + ": checkpoint margin bits");
    }

    static long bits(double x) {
        return Double.doubleToRawLongBits(x);
    }

    static long[] bits(double[] x) {
        final long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = bits(x[i]);
        }
        return out;
    }
}

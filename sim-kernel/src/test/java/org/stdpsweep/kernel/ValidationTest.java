package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every validation rule rejects its bad values with a message that names the parameter, the
 * value and what is allowed ({@code name = value is invalid: allowed is ...}); the boundary
 * values that are allowed pass.
 */
class ValidationTest {

    /** A valid canonical cell to start from. */
    private static RunParameters.Builder valid() {
        return RunParameters.builder().alpha(0.1).d(3).delta(0.2).iterations(100);
    }

    /** A valid explicit-initial-condition cell to start from. */
    private static RunParameters.Builder validExplicit() {
        return RunParameters.builder().alpha(0.1).lambda(3, 2, 1).w0(1, 1, 1).iterations(100);
    }

    private static void assertInvalid(Executable action, String parameter, String value, String allowed) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        final String message = e.getMessage();
        assertTrue(message.startsWith(parameter + " = " + value + " is invalid"),
            "message names the parameter " + parameter + " and value " + value + ": " + message);
        assertTrue(message.contains("allowed is ") && message.contains(allowed),
            "message says what is allowed (" + allowed + "): " + message);
    }

    // ---- alpha and the noise -------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void alphaMustBeFiniteAndPositive(double alpha) {
        assertInvalid(() -> valid().alpha(alpha).build(), "alpha", String.valueOf(alpha), "a finite number > 0");
    }

    @Test
    void alphaIsRequired() {
        assertInvalid(() -> RunParameters.builder().d(3).delta(0.2).iterations(10).build(), "alpha", "NaN",
            "a finite number > 0");
    }

    @Test
    void alphaTimesQMustStayBelowOne() {
        assertInvalid(() -> valid().alpha(0.5).noise(Noise.uniform(2)).build(), "alpha*Q", "1.0", "a number < 1");
        assertInvalid(() -> valid().alpha(0.5).noise(Noise.rademacher(2.5)).build(), "alpha*Q", "1.25", "a number < 1");
        assertDoesNotThrow(() -> valid().alpha(0.5).noise(Noise.uniform(1.999)).build());
        assertDoesNotThrow(() -> valid().alpha(50).noise(Noise.none()).build(), "no noise: any alpha");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, -1e-300, Double.NaN, Double.POSITIVE_INFINITY})
    void noiseBoundMustBeFiniteAndNonNegative(double q) {
        final String allowed = "a finite number >= 0";
        assertInvalid(() -> Noise.uniform(q), "Q", String.valueOf(q), allowed);
        assertInvalid(() -> Noise.rademacher(q), "Q", String.valueOf(q), allowed);
        assertInvalid(() -> Noise.of(Noise.Model.UNIFORM, q), "Q", String.valueOf(q), allowed);
    }

    @Test
    void noiseBoundZeroIsAllowed() {
        assertEquals(0.0, Noise.uniform(0).q());
        assertEquals(Noise.none(), Noise.of(Noise.Model.NONE, -5), "Q is ignored for none");
        assertInvalid(() -> Noise.of(null, 1), "noise", "null", "one of none, rademacher, uniform");
    }

    // ---- Delta, d and the initial condition ------------------------------------------------

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
    void deltaMustLieInTheOpenUnitInterval(double delta) {
        assertInvalid(() -> valid().delta(delta).build(), "delta", String.valueOf(delta), "the open interval (0, 1)");
    }

    @Test
    void deltaIsNotGivenWithLambda() {
        assertInvalid(() -> validExplicit().delta(0.2).build(), "delta", "0.2", "absent when lambda and w0 are given");
    }

    /**
     * Explicit lambda and w0 may put input 1 behind: not an error (the chain is defined at every
     * p, and the drift tests need arbitrary p), but then Theta_K fails at k = 0, since the margin
     * m(0) = Delta is below Delta/2 when Delta < 0. (A tie, Delta = 0, is accepted too.)
     */
    @Test
    void derivedDeltaMayBeNonPositiveAndThetaThenFailsAtZero() {
        // p(0) = (1, 2, 3)/6: Delta = 1/6 - 1/2.
        final RunParameters behind = validExplicit().lambda(1, 2, 3).build();
        assertEquals(1.0 / 6 - 3.0 / 6, behind.delta(), 1e-15);
        final RunParameters tied = validExplicit().lambda(2, 1, 1).w0(1, 2, 1).build();
        assertEquals(0.0, tied.delta(), 0.0);
        assertEquals(0, new StdpKernel().run(behind, StreamSeed.of(7, behind, 0)).thetaExit(), "Theta_K exit time");
        assertEquals(0.5 - 2.0 / 6, validExplicit().build().delta(), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0, -3})
    void dMustBeAtLeastTwo(int d) {
        assertInvalid(() -> valid().d(d).build(), "d", String.valueOf(d), "an integer >= 2");
        assertInvalid(() -> CoFiring.independent(d), "d", String.valueOf(d), "an integer >= 2");
        assertInvalid(() -> CoFiring.equicorrelated(d, 0.5), "d", String.valueOf(d), "an integer >= 2");
    }

    @Test
    void explicitLambdaNeedsAtLeastTwoInputs() {
        assertInvalid(() -> RunParameters.builder().alpha(0.1).lambda(1).w0(1).iterations(10).build(), "d", "1",
            "an integer >= 2");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
    void lambdaAndW0EntriesMustBeFiniteAndPositive(double bad) {
        final String value = String.valueOf(bad);
        assertInvalid(() -> validExplicit().lambda(1, bad, 3).build(), "lambda[1]", value, "a finite number > 0");
        assertInvalid(() -> validExplicit().w0(1, 1, bad).build(), "w0[2]", value, "a finite number > 0");
    }

    @Test
    void lambdaAndW0MustHaveTheSameLength() {
        assertInvalid(() -> validExplicit().w0(1, 1).build(), "w0 length", "2", "the length of lambda, 3");
        assertInvalid(() -> validExplicit().d(4).build(), "d", "4", "the length of lambda, 3");
    }

    @Test
    void lambdaAndW0ComeTogether() {
        assertInvalid(() -> RunParameters.builder().alpha(0.1).lambda(1, 2).iterations(10).build(), "w0", "missing",
            "lambda and w0 given together");
        assertInvalid(() -> RunParameters.builder().alpha(0.1).w0(1, 2).iterations(10).build(), "lambda", "missing",
            "lambda and w0 given together");
    }

    // ---- Gamma ---------------------------------------------------------------------------

    @Test
    void gammaMustBeSquare() {
        assertInvalid(() -> CoFiring.explicit(new double[][] {{1, 0, 0}, {0, 1}, {0, 0, 1}}), "gamma row 1 length", "2",
            "d = 3");
        assertInvalid(() -> CoFiring.explicit(new double[][] {{1}}), "gamma", "1 rows", "a d x d matrix with d >= 2");
        assertInvalid(() -> CoFiring.explicit(null), "gamma", "null", "a d x d matrix");
    }

    @Test
    void gammaMustMatchD() {
        assertInvalid(() -> valid().gamma(CoFiring.independent(4)).build(), "gamma dimension", "4 x 4",
            "d x d with d = 3");
    }

    @Test
    void gammaMustBeSymmetric() {
        assertInvalid(() -> CoFiring.explicit(new double[][] {{1, 0.2}, {0.3, 1}}), "gamma[0][1]", "0.2",
            "the value of gamma[1][0] = 0.3 (gamma is symmetric)");
    }

    @Test
    void gammaDiagonalMustBeOne() {
        assertInvalid(() -> CoFiring.explicit(new double[][] {{1, 0}, {0, 0.9}}), "gamma[1][1]", "0.9",
            "1 (the diagonal of gamma is 1)");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.5, Double.NaN})
    void gammaEntriesMustLieInTheUnitInterval(double bad) {
        assertInvalid(() -> CoFiring.explicit(new double[][] {{1, 0, bad}, {0, 1, 0}, {bad, 0, 1}}), "gamma[0][2]",
            String.valueOf(bad), "a number in [0, 1]");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY})
    void rhoMustLieInTheUnitInterval(double rho) {
        final String value = String.valueOf(rho);
        assertInvalid(() -> CoFiring.equicorrelated(4, rho), "rho", value, "a number in [0, 1]");
        assertInvalid(() -> CoFiring.ar1(4, rho), "rho", value, "a number in [0, 1]");
        assertInvalid(() -> CoFiring.block(4, 2, rho), "rho", value, "a number in [0, 1]");
    }

    @Test
    void rhoZeroAndOneAreAllowed() {
        assertDoesNotThrow(() -> CoFiring.equicorrelated(4, 0));
        assertDoesNotThrow(() -> CoFiring.ar1(4, 1));
        assertDoesNotThrow(() -> CoFiring.block(4, 2, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -2})
    void blockSizeMustBePositive(int size) {
        assertInvalid(() -> CoFiring.block(4, size, 0.5), "block size", String.valueOf(size), "an integer >= 1");
    }

    // ---- horizon, checkpoints, thresholds, tolerance, replicate ----------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void horizonMustBePositive(int k) {
        assertInvalid(() -> valid().iterations(k).build(), "iterations", String.valueOf(k), "an integer >= 1");
        assertInvalid(() -> Checkpoints.logSpaced(k, 10), "iterations", String.valueOf(k), "an integer >= 1");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0, -5})
    void atLeastTwoCheckpoints(int count) {
        assertInvalid(() -> valid().checkpoints(count).build(), "checkpoints", String.valueOf(count), "an integer >= 2");
        assertInvalid(() -> Checkpoints.logSpaced(100, count), "checkpoints", String.valueOf(count), "an integer >= 2");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY})
    void hitThresholdsMustBeFiniteAndPositive(double bad) {
        assertInvalid(() -> valid().hitThresholds(0.1, bad).build(), "hit-thresholds[1]", String.valueOf(bad),
            "a finite number > 0");
    }

    @Test
    void hitThresholdsMayBeEmptyButNotNull() {
        assertDoesNotThrow(() -> valid().hitThresholds().build());
        assertInvalid(() -> valid().hitThresholds((double[]) null), "hit-thresholds", "null", "a list of numbers > 0");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1e-6, Double.NaN, Double.POSITIVE_INFINITY})
    void toleranceMustBeFiniteAndPositive(double bad) {
        assertInvalid(() -> valid().tolerance(bad).build(), "tolerance", String.valueOf(bad), "a finite number > 0");
    }

    @Test
    void replicateMustBeNonNegative() {
        final RunParameters params = valid().build();
        assertInvalid(() -> StreamSeed.of(1, params, -1), "replicate", "-1", "an integer >= 0");
        assertInvalid(() -> new StdpKernel().run(params, 1, Long.MIN_VALUE), "replicate", String.valueOf(Long.MIN_VALUE),
            "an integer >= 0");
        assertDoesNotThrow(() -> new StdpKernel().run(params, 1, 0));
    }

    // ---- Checkpoints.logSpaced -----------------------------------------------------------

    @Test
    void checkpointsAreStrictlyIncreasingFromZeroToK() {
        final int[] horizons = {1, 2, 3, 5, 10, 39, 40, 41, 99, 100, 1000, 12_345, 1_000_000, 1_000_000_000,
            Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        final int[] counts = {2, 3, 4, 5, 10, 40, 41, 100, 101, 1000, 5000};
        for (int k : horizons) {
            for (int count : counts) {
                final int[] ks = Checkpoints.logSpaced(k, count);
                final String at = "K = " + k + ", count = " + count;
                assertEquals(0, ks[0], at + ": first");
                assertEquals(k, ks[ks.length - 1], at + ": last");
                for (int j = 1; j < ks.length; j++) {
                    assertTrue(ks[j] > ks[j - 1], at + ": strictly increasing at " + j);
                }
                if (count >= k + 1L) {
                    assertEquals(k + 1, ks.length, at + ": every k");
                } else {
                    assertEquals(count, ks.length, at + ": as many as requested");
                }
            }
        }
    }

    @Test
    void checkpointsAreLogSpaced() {
        // count - 1 points at round(K^(j / (count - 2))), j = 0..count-2, after 0.
        assertArrayEquals(new int[] {0, 1, 16, 251, 3981, 63096, 1_000_000}, Checkpoints.logSpaced(1_000_000, 7));
        assertArrayEquals(new int[] {0, 1, 2, 5, 10}, Checkpoints.logSpaced(10, 5));
        assertArrayEquals(new int[] {0, 1000}, Checkpoints.logSpaced(1000, 2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Checkpoints.logSpaced(3, 4));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Checkpoints.logSpaced(3, 40));
        // Where rounding collides the points are pushed up to stay distinct: 0, 1, 2, 3, then log spacing.
        final int[] crowded = Checkpoints.logSpaced(100, 30);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, java.util.Arrays.copyOf(crowded, 6));
    }

    @Test
    void runParametersUseTheLogSpacedCheckpoints() {
        assertArrayEquals(Checkpoints.logSpaced(5000, 17), valid().iterations(5000).checkpoints(17).build().checkpoints());
        assertEquals(RunParameters.DEFAULT_CHECKPOINTS, valid().iterations(5000).build().checkpoints().length);
    }
}

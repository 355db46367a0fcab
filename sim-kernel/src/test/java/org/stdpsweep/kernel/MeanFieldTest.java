package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The mean-field map at large alpha: its factor {@code 1 + alpha (p_i - |p|^2)} (Gamma = I) can
 * reach 0 once alpha >= 1, and the curve must then say "undefined" (NaN), not carry on with a
 * negative coordinate that would pass for dist < 1e-250, i.e. absorption at e_1.
 */
class MeanFieldTest {

    /**
     * d = 2, Delta = 0.1, alpha = 1.5: a plain replay of the map (written here, not the
     * kernel's code) gives the factor of p_2 as 0.918, 0.847, 0.706, 0.428, then -0.058 at
     * k = 4 (checked with python3 too), so p(5) is off the simplex.
     */
    @Test
    void curveIsNaNOnceTheMapLeavesTheSimplex() {
        final double alpha = 1.5;
        final RunParameters params = RunParameters.builder().alpha(alpha).d(2).delta(0.1).iterations(10)
            .checkpoints(11).build();
        final MeanField.Curve curve = MeanField.of(params);
        final int[] ks = curve.checkpoints();
        assertEquals(11, ks.length, "every k is a checkpoint");
        double p1 = 1.1 / 2;
        double p2 = 0.9 / 2;
        int leftAt = -1;
        for (int k = 0; k < ks.length; k++) {
            assertEquals(k, ks[k]);
            if (leftAt < 0) {
                assertEquals(2 * p2 / (p1 + p2), curve.dist()[k], 1e-12, "dist at k = " + k);
                assertEquals((p1 - p2) / (p1 + p2), curve.margin()[k], 1e-12, "margin at k = " + k);
                final double s = p1 + p2;
                p1 /= s;
                p2 /= s;
                final double norm2 = p1 * p1 + p2 * p2;
                final double f1 = 1 + alpha * (p1 - norm2);
                final double f2 = 1 + alpha * (p2 - norm2);
                if (f1 <= 0 || f2 <= 0) {
                    leftAt = k;
                }
                p1 *= f1;
                p2 *= f2;
            } else {
                assertTrue(Double.isNaN(curve.dist()[k]), "dist at k = " + k + " after the map left the simplex");
                assertTrue(Double.isNaN(curve.margin()[k]), "margin at k = " + k);
            }
        }
        assertEquals(4, leftAt, "the replay leaves the simplex at the step from k = 4");
    }

    /** Below alpha = 1 every factor is at least 1 - alpha > 0: the curve stays a curve. */
    @Test
    void curveStaysOnTheSimplexBelowAlphaOne() {
        final RunParameters params = RunParameters.builder().alpha(0.99).d(5).delta(0.05).iterations(2000)
            .gamma(CoFiring.ar1(5, 0.6)).build();
        final MeanField.Curve curve = MeanField.of(params);
        for (int j = 0; j < curve.dist().length; j++) {
            final double dist = curve.dist()[j];
            assertTrue(dist >= 0 && dist <= 2, "dist in [0, 2] at checkpoint " + curve.checkpoints()[j] + ": " + dist);
            assertTrue(Math.abs(curve.margin()[j]) <= 1, "margin in [-1, 1]");
        }
    }
}

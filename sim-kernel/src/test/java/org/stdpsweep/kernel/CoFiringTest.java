package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stdpsweep.kernel.RunAssertions.assertBitIdentical;

import java.lang.reflect.Field;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Co-firing (MODEL.md: Gamma, the replicator drift). For equicorrelated
 * Gamma = (1 - rho) I + rho 11' and p on the simplex, Gamma p = (1 - rho) p + rho 1 and
 * p' Gamma p = (1 - rho)|p|^2 + rho, so Gamma p - (p' Gamma p) 1 = (1 - rho)(p - |p|^2 1):
 * the mean-field map with (alpha, rho) is exactly the independent map with alpha (1 - rho).
 */
class CoFiringTest {

    private static final long MASTER = 99L;

    private static RunParameters.Builder canonical(int d, double alpha, double delta, int horizon) {
        return RunParameters.builder().d(d).alpha(alpha).delta(delta).iterations(horizon);
    }

    // ---- mean field ----------------------------------------------------------------------

    /**
     * Same map in exact arithmetic; in doubles each step rounds differently (a few ulps
     * relative per coordinate), which over K = 1000 steps adds up to at most ~1e-13 relative
     * in dist: tolerance 1e-12.
     */
    @ParameterizedTest(name = "d = {0}, rho = {1}")
    @CsvSource({"3, 0.3", "10, 0.5", "10, 0.9", "25, 0.1"})
    void equicorrelatedMeanFieldIsIndependentMeanFieldWithAlphaTimesOneMinusRho(int d, double rho) {
        final double alpha = 0.1;
        final RunParameters.Builder b = canonical(d, alpha, 0.2, 1000).checkpoints(60);
        final MeanField.Curve correlated = MeanField.of(b.gamma(CoFiring.equicorrelated(d, rho)).build());
        final MeanField.Curve scaled = MeanField.of(b.alpha(alpha * (1 - rho)).gamma(CoFiring.independent(d)).build());
        assertCurvesAgree(scaled, correlated, 1e-12);
        // The curves do move: dist falls by at least two orders of magnitude, so agreement is not trivial.
        final double[] dist = correlated.dist();
        assertTrue(dist[dist.length - 1] < 1e-2 * dist[0], "dist decays: " + dist[dist.length - 1]);
    }

    /** MeanField's O(d) shortcut for equicorrelated Gamma agrees with its general matrix product. */
    @Test
    void meanFieldShortcutAgreesWithExplicitMatrix() {
        final int d = 8;
        final double rho = 0.35;
        final RunParameters.Builder b = canonical(d, 0.1, 0.15, 800).checkpoints(50);
        final MeanField.Curve structured = MeanField.of(b.gamma(CoFiring.equicorrelated(d, rho)).build());
        final MeanField.Curve explicit = MeanField.of(b.gamma(CoFiring.explicit(equicorrelatedMatrix(d, rho))).build());
        assertCurvesAgree(structured, explicit, 1e-12);
    }

    /**
     * Late-time decay of the mean-field dist. Near e_1 the map (with a = alpha (1 - rho)) sends
     * dist to dist (1 + a avg_i (p_i - |p|^2)), i > 1, with -1 <= p_i - |p|^2 <= -1 + 1.5 dist, so
     * ln(dist(k+1)/dist(k)) lies in [ln(1 - a), ln(1 - a) + 1.5 a dist / (1 - a)]: over a window
     * where dist < 1e-20 the log slope is ln(1 - a) to ~1e-19, plus rounding (ln dist is off by
     * at most ~1e-12, over windows of hundreds of steps): relative tolerance 1e-10.
     *
     * <p>Ratio to the independent rate: with f(t) = -ln(1 - t)/t, increasing with
     * 1 <= f(t) <= 1/(1 - t), the ratio ln(1 - alpha (1 - rho)) / ln(1 - alpha) = (1 - rho) f(a)/f(alpha)
     * lies in [(1 - rho)(1 - alpha), 1 - rho]: it is (1 - rho) up to a relative O(alpha).
     */
    @ParameterizedTest(name = "rho = {0}")
    @CsvSource({"0.0", "0.3", "0.6", "0.9"})
    void lateMeanFieldDecayRateIsLogOfOneMinusAlphaTimesOneMinusRho(double rho) {
        final double alpha = 0.1;
        final int d = 6;
        final RunParameters.Builder b = canonical(d, alpha, 0.2, 20_000).checkpoints(300);
        final double rate = lateLogSlope(MeanField.of(b.gamma(CoFiring.equicorrelated(d, rho)).build()));
        final double independentRate = lateLogSlope(MeanField.of(b.gamma(CoFiring.independent(d)).build()));

        final double expected = Math.log(1 - alpha * (1 - rho));
        assertEquals(expected, rate, 1e-10 * Math.abs(expected), "late log slope of dist");
        assertEquals(Math.log(1 - alpha), independentRate, 1e-10 * Math.abs(Math.log(1 - alpha)), "independent slope");
        final double ratioOverOneMinusRho = rate / independentRate / (1 - rho);
        assertTrue(ratioOverOneMinusRho >= 1 - alpha - 1e-9 && ratioOverOneMinusRho <= 1 + 1e-9,
            "rate ratio / (1 - rho) = " + ratioOverOneMinusRho + " must lie in [1 - alpha, 1]");
    }

    /** Log slope of dist between the first and the last checkpoint with 1e-200 < dist < 1e-20. */
    private static double lateLogSlope(MeanField.Curve curve) {
        final int[] ks = curve.checkpoints();
        final double[] dist = curve.dist();
        int first = -1;
        int last = -1;
        for (int j = 0; j < ks.length; j++) {
            if (dist[j] < 1e-20 && dist[j] > 1e-200) {
                first = first < 0 ? j : first;
                last = j;
            }
        }
        assertTrue(first >= 0 && ks[last] - ks[first] >= 500, "a window of >= 500 steps with 1e-200 < dist < 1e-20");
        return (Math.log(dist[last]) - Math.log(dist[first])) / (ks[last] - ks[first]);
    }

    private static void assertCurvesAgree(MeanField.Curve expected, MeanField.Curve actual, double relative) {
        final double[] ed = expected.dist();
        final double[] ad = actual.dist();
        final double[] em = expected.margin();
        final double[] am = actual.margin();
        final int[] ks = expected.checkpoints();
        for (int j = 0; j < ed.length; j++) {
            assertEquals(ed[j], ad[j], relative * Math.abs(ed[j]), "dist at k = " + ks[j]);
            assertEquals(em[j], am[j], relative * Math.abs(em[j]), "margin at k = " + ks[j]);
        }
    }

    // ---- Monte Carlo: Gamma with entries 1 -----------------------------------------------

    /**
     * rho = 1: every input fires with the trigger, B = 1, every weight gets the same factor
     * (1 + alpha), and without noise p never moves. Closed form: p(k) = p(0) = lambda / d, so
     * dist(k) = 2 (d - 1)(1 - Delta) / d and m(k) = Delta for every k; Theta_K holds. The only
     * error is rounding, a few ulps per step: 1e-12 relative over 300 steps.
     */
    @Test
    void fullyCorrelatedNoiseFreeChainNeverMoves() {
        final int d = 4;
        final double delta = 0.2;
        final RunParameters params = canonical(d, 0.3, delta, 300).checkpoints(301)
            .gamma(CoFiring.equicorrelated(d, 1.0)).build();
        final double dist0 = 2.0 * (d - 1) * (1 - delta) / d;
        final StdpKernel kernel = new StdpKernel();
        final double[] p = new double[d];
        for (int r = 0; r < 20; r++) {
            final RunResult run = kernel.run(params, MASTER, r);
            for (double dist : run.checkpointDist()) {
                assertEquals(dist0, dist, 1e-12 * dist0, "dist stays at dist(0)");
            }
            for (double m : run.checkpointMargin()) {
                assertEquals(delta, m, 1e-12, "margin stays at Delta");
            }
            assertTrue(run.thetaHeld(), "Theta_K holds");
            kernel.copyFinalP(p);
            assertEquals((1 + (d - 1) * delta) / d, p[0], 1e-12, "p_1(K)");
            for (int i = 1; i < d; i++) {
                assertEquals((1 - delta) / d, p[i], 1e-12, "p_" + (i + 1) + "(K)");
            }
        }
    }

    /**
     * Blocks with rho = 1 and no noise: inputs of one block always fire together, so they get
     * the same factor every step and their ratio p_i / p_j stays lambda_i / lambda_j, while the
     * blocks themselves compete (the ratio across blocks does change).
     */
    @Test
    void inputsOfAFullyCorrelatedBlockKeepTheirRatio() {
        final int d = 6;
        final double delta = 0.25;
        final RunParameters params = canonical(d, 0.2, delta, 200).gamma(CoFiring.block(d, 3, 1.0)).build();
        final double[] lambda = params.lambda();
        final StdpKernel kernel = new StdpKernel();
        final double[] p = new double[d];
        boolean blocksMoved = false;
        for (int r = 0; r < 20; r++) {
            kernel.run(params, MASTER, r);
            kernel.copyFinalP(p);
            assertEquals(lambda[0] / lambda[1], p[0] / p[1], 1e-12 * lambda[0] / lambda[1], "p_1 / p_2 within block 1");
            assertEquals(1.0, p[1] / p[2], 1e-12, "p_2 / p_3 within block 1");
            assertEquals(1.0, p[3] / p[4], 1e-12, "p_4 / p_5 within block 2");
            assertEquals(1.0, p[4] / p[5], 1e-12, "p_5 / p_6 within block 2");
            blocksMoved |= Math.abs(p[0] / p[3] - lambda[0] / lambda[3]) > 0.1;
        }
        assertTrue(blocksMoved, "the blocks compete, so their ratio does move");
    }

    // ---- the matrices ----------------------------------------------------------------------

    @Test
    void ar1HasEntriesRhoToTheDistance() {
        final int d = 7;
        final double rho = 0.7;
        final CoFiring g = CoFiring.ar1(d, rho);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double expected = 1;
                for (int n = 0; n < Math.abs(i - j); n++) {
                    expected *= rho;
                }
                assertEquals(expected, g.get(i, j), 1e-15, "ar1[" + i + "][" + j + "]");
            }
        }
        assertEquals(CoFiring.Structure.AR1, g.structure());
        assertEquals(rho, g.rho());
        assertEquals(d, g.dimension());
        assertFalse(g.isIdentity());
    }

    @Test
    void blockHasRhoWithinBlocksAndZeroAcross() {
        final double r = 0.4;
        // d = 7 in blocks of 3: {1,2,3}, {4,5,6}, {7}.
        final double[][] expected = {
            {1, r, r, 0, 0, 0, 0},
            {r, 1, r, 0, 0, 0, 0},
            {r, r, 1, 0, 0, 0, 0},
            {0, 0, 0, 1, r, r, 0},
            {0, 0, 0, r, 1, r, 0},
            {0, 0, 0, r, r, 1, 0},
            {0, 0, 0, 0, 0, 0, 1},
        };
        final CoFiring g = CoFiring.block(7, 3, r);
        assertMatrix(expected, g);
        assertEquals(3, g.blockSize());
        assertEquals(CoFiring.Structure.BLOCK, g.structure());
        assertFalse(g.isIdentity());
    }

    @Test
    void equicorrelatedHasRhoOffTheDiagonal() {
        final CoFiring g = CoFiring.equicorrelated(4, 0.25);
        assertMatrix(new double[][] {
            {1, 0.25, 0.25, 0.25},
            {0.25, 1, 0.25, 0.25},
            {0.25, 0.25, 1, 0.25},
            {0.25, 0.25, 0.25, 1},
        }, g);
        assertFalse(g.isIdentity());
        assertMatrix(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, CoFiring.independent(3));
    }

    @Test
    void structuresWithNoCoFiringAreRecognisedAsIdentity() {
        assertTrue(CoFiring.independent(5).isIdentity());
        assertTrue(CoFiring.equicorrelated(5, 0).isIdentity());
        assertTrue(CoFiring.ar1(5, 0).isIdentity());
        assertTrue(CoFiring.block(5, 1, 0.9).isIdentity(), "blocks of one input");
        assertTrue(CoFiring.explicit(identityMatrix(5)).isIdentity());
        final double[][] almost = identityMatrix(5);
        almost[1][3] = almost[3][1] = Double.MIN_VALUE;
        assertFalse(CoFiring.explicit(almost).isIdentity());
    }

    private static void assertMatrix(double[][] expected, CoFiring g) {
        assertEquals(expected.length, g.dimension());
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[i][j], g.get(i, j), "gamma[" + i + "][" + j + "]");
            }
        }
    }

    // ---- bits: the same law through different code paths ----------------------------------

    /**
     * The kernel promises that detecting Gamma = I changes speed, never bits. An explicit
     * identity matrix must run bit-identically to {@link CoFiring#independent}; and the same
     * identity with the fast path switched off (its {@code identity} flag cleared by
     * reflection, so the general co-firing step runs it) must too. d = 70 crosses the 64-input
     * boundary of a Rademacher word. The explicit matrix has its own stream key, so both runs
     * get the same explicit seed.
     */
    @ParameterizedTest(name = "d = {0}, noise = {1}")
    @CsvSource({"5, none", "5, uniform", "5, rademacher", "70, none", "70, uniform", "70, rademacher"})
    void identityMatrixRunsBitIdenticallyOnEveryCodePath(int d, String noiseName) throws ReflectiveOperationException {
        final Noise noise = Noise.of(Noise.Model.valueOf(noiseName.toUpperCase(java.util.Locale.ROOT)), 0.8);
        final RunParameters.Builder b = canonical(d, 0.05, 0.1, 400).noise(noise).hitThresholds(0.5, 1e-3);
        final RunParameters independent = b.gamma(CoFiring.independent(d)).build();
        final RunParameters explicit = b.gamma(CoFiring.explicit(identityMatrix(d))).build();
        final RunParameters slowPath = b.gamma(withoutIdentityShortcut(CoFiring.explicit(identityMatrix(d)))).build();
        final StdpKernel kernel = new StdpKernel();
        for (int r = 0; r < 5; r++) {
            final long[] seed = StreamSeed.of(MASTER, independent, r);
            final RunResult expected = kernel.run(independent, seed);
            assertBitIdentical(expected, kernel.run(explicit, seed), "explicit identity, replicate " + r);
            assertBitIdentical(expected, kernel.run(slowPath, seed), "identity on the co-firing path, replicate " + r);
        }
    }

    @ParameterizedTest(name = "noise = {0}")
    @CsvSource({"none", "uniform", "rademacher"})
    void explicitEquicorrelatedMatrixRunsBitIdenticallyToTheStructure(String noiseName) {
        final int d = 9;
        final double rho = 0.3;
        final Noise noise = Noise.of(Noise.Model.valueOf(noiseName.toUpperCase(java.util.Locale.ROOT)), 0.5);
        final RunParameters.Builder b = canonical(d, 0.05, 0.1, 400).noise(noise);
        final RunParameters structured = b.gamma(CoFiring.equicorrelated(d, rho)).build();
        final RunParameters explicit = b.gamma(CoFiring.explicit(equicorrelatedMatrix(d, rho))).build();
        final StdpKernel kernel = new StdpKernel();
        for (int r = 0; r < 5; r++) {
            final long[] seed = StreamSeed.of(MASTER, structured, r);
            assertBitIdentical(kernel.run(structured, seed), kernel.run(explicit, seed), "replicate " + r);
        }
    }

    private static CoFiring withoutIdentityShortcut(CoFiring gamma) throws ReflectiveOperationException {
        final Field identity = CoFiring.class.getDeclaredField("identity");
        identity.setAccessible(true);
        identity.setBoolean(gamma, false);
        assertFalse(gamma.isIdentity(), "shortcut disabled");
        return gamma;
    }

    static double[][] identityMatrix(int d) {
        final double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    static double[][] equicorrelatedMatrix(int d, double rho) {
        final double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            java.util.Arrays.fill(m[i], rho);
            m[i][i] = 1;
        }
        return m;
    }
}

package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;

/**
 * The noise law, which the drift test cannot see (centred noise moves the mean step only at
 * O(alpha^2)): one step at d = 2, Gamma = I, alpha = 0.4, Q = 1 (so alpha Q = 0.4 < 1), from
 * p(0) = (0.6, 0.4), where the noise dominates the spread of p_1(1). The reference is the exact
 * law of
 * <pre>
 *   p_1(1) = p_1 f_1 / (p_1 f_1 + p_2 f_2),   f_i = 1 + alpha (B_i + Z_i),   B = e_I, I ~ p,
 * </pre>
 * computed here without the kernel: for Rademacher noise 8 atoms (trigger x two independent
 * signs), for uniform noise moments by 64-point Gauss-Legendre quadrature over [-Q, Q]^2 (a
 * smooth rational integrand whose denominator stays above 1 - alpha Q = 0.6: exact to rounding).
 *
 * <p>Fixed seeds, N = 40,000 runs each. Rademacher: every run's p_1(1) must be one of the atoms
 * (to 1e-12), and each atom's frequency within 4 binomial standard errors of its probability
 * (8 atoms: false-failure odds below 8 x 6.3e-5 = 5e-4). A kernel that reused one sign for
 * both coordinates, or used Q/2, fails both. Uniform: mean and variance of p_1(1) within 4
 * standard errors (the variance's from the exact fourth central moment: (mu_4 - sigma^4) / N).
 */
class NoiseLawTest {

    private static final double ALPHA = 0.4;
    private static final double Q = 1.0;
    private static final double DELTA = 0.2;
    private static final double[] P = {(1 + DELTA) / 2, (1 - DELTA) / 2};
    private static final int N = 40_000;
    private static final double SIGMAS = 4;

    private static double p1After(int trigger, double z1, double z2) {
        final double f1 = 1 + ALPHA * ((trigger == 0 ? 1 : 0) + z1);
        final double f2 = 1 + ALPHA * ((trigger == 1 ? 1 : 0) + z2);
        return P[0] * f1 / (P[0] * f1 + P[1] * f2);
    }

    /** p_1(1) of N one-step runs under {@code noise}. */
    private static double[] oneStepRuns(Noise noise, long master) {
        final RunParameters params = RunParameters.builder().alpha(ALPHA).d(2).delta(DELTA).noise(noise)
            .iterations(1).checkpoints(2).build();
        final StdpKernel kernel = new StdpKernel();
        final double[] p = new double[2];
        final double[] p1 = new double[N];
        for (int r = 0; r < N; r++) {
            kernel.run(params, master, r);
            kernel.copyFinalP(p);
            p1[r] = p[0];
        }
        return p1;
    }

    @Test
    void rademacherNoiseHasTheExactLawOfIndependentSigns() {
        final double[] atom = new double[8];
        final double[] prob = new double[8];
        for (int trigger = 0; trigger < 2; trigger++) {
            for (int signs = 0; signs < 4; signs++) {
                final int a = 4 * trigger + signs;
                atom[a] = p1After(trigger, (signs & 1) == 0 ? Q : -Q, (signs & 2) == 0 ? Q : -Q);
                prob[a] = P[trigger] / 4;
            }
        }
        for (int a = 0; a < 8; a++) {
            for (int b = 0; b < a; b++) {
                assertTrue(Math.abs(atom[a] - atom[b]) > 1e-6, "atoms " + a + " and " + b + " coincide");
            }
        }
        final int[] count = new int[8];
        for (double x : oneStepRuns(Noise.rademacher(Q), 20261122L)) {
            int hit = -1;
            for (int a = 0; a < 8; a++) {
                if (Math.abs(x - atom[a]) <= 1e-12 * atom[a]) {
                    hit = a;
                }
            }
            if (hit < 0) {
                fail("p_1(1) = " + x + " is none of the 8 atoms of the exact law");
            }
            count[hit]++;
        }
        for (int a = 0; a < 8; a++) {
            final double se = Math.sqrt(prob[a] * (1 - prob[a]) / N);
            assertWithinSigmas(prob[a], (double) count[a] / N, se, "P(atom " + a + " = " + atom[a] + ")");
        }
    }

    @Test
    void uniformNoiseHasTheExactMeanAndVariance() {
        final double mean = exactMoment(1, 0);
        final double variance = exactMoment(2, mean);
        final double mu4 = exactMoment(4, mean);
        final double[] x = oneStepRuns(Noise.uniform(Q), 20261123L);
        double m = 0;
        for (double v : x) {
            m += v;
        }
        m /= N;
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        final double s2 = ss / (N - 1);
        assertWithinSigmas(mean, m, Math.sqrt(variance / N), "E p_1(1)");
        assertWithinSigmas(variance, s2, Math.sqrt((mu4 - variance * variance) / N), "Var p_1(1)");
        // Without noise Var p_1(1) would be the trigger's alone (0.0062); the noise takes it to 0.0109,
        // so a kernel that dropped or halved the noise misses the variance by tens of its SE (6e-5);
        // noise at 0.8 Q was checked to fail by 4.8 SE.
        final double triggerOnly = P[0] * P[1] * Math.pow(p1After(0, 0, 0) - p1After(1, 0, 0), 2);
        assertTrue(variance > 1.5 * triggerOnly, variance + " vs " + triggerOnly);
    }

    /** E[(p_1(1) - centre)^power] under uniform noise, by Gauss-Legendre quadrature in (Z_1, Z_2). */
    private static double exactMoment(int power, double centre) {
        final GaussIntegrator rule = new GaussIntegratorFactory().legendre(64, -Q, Q);
        double sum = 0;
        for (int trigger = 0; trigger < 2; trigger++) {
            double inner = 0;
            for (int i = 0; i < rule.getNumberOfPoints(); i++) {
                for (int j = 0; j < rule.getNumberOfPoints(); j++) {
                    final double v = p1After(trigger, rule.getPoint(i), rule.getPoint(j)) - centre;
                    inner += rule.getWeight(i) * rule.getWeight(j) * Math.pow(v, power);
                }
            }
            sum += P[trigger] * inner / (4 * Q * Q);
        }
        return sum;
    }

    private static void assertWithinSigmas(double exact, double estimate, double se, String what) {
        assertTrue(se > 0, what + ": positive standard error");
        final double z = (estimate - exact) / se;
        assertTrue(Math.abs(z) <= SIGMAS,
            what + ": exact " + exact + ", Monte Carlo " + estimate + ", " + z + " standard errors away");
    }
}

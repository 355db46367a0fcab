package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one-step mean of the chain is the replicator drift of MODEL.md:
 * {@code E[p(1) - p(0) | p(0) = p] = alpha p * (Gamma p - (p' Gamma p) 1) + O(alpha^2)}.
 *
 * <p>Derivation of the check. With Y_i = B_i + Z_i and X = sum_j p_j Y_j,
 * p_i' = p_i (1 + alpha Y_i) / (1 + alpha X), so
 * <pre>
 *   p_i' - p_i = alpha p_i (Y_i - X) / (1 + alpha X)
 *   p_i' - p_i - alpha p_i (Y_i - X) = -alpha^2 p_i (Y_i - X) X / (1 + alpha X).
 * </pre>
 * Since Y_i, X lie in [-Q, 1 + Q]: |Y_i - X| <= 1 + 2Q, |X| <= 1 + Q, 1 + alpha X >= 1 - alpha Q,
 * so the remainder is at most {@code alpha^2 p_i (1 + 2Q)(1 + Q) / (1 - alpha Q)} in absolute
 * value, surely, hence also in mean. And E[alpha p_i (Y_i - X)] = alpha p_i ((Gamma p)_i - p' Gamma p),
 * because E Z = 0 and E B_i = sum_I p_I Gamma[i][I] = (Gamma p)_i (the trigger has B_I = 1 = Gamma[I][I]).
 *
 * <p>So the sample mean of p_i(1) - p_i over N independent one-step runs must lie within
 * 4 standard errors plus that rigorous allowance of the drift. The standard error is the sample
 * standard deviation over sqrt(N) (N = 80,000, so it is itself known to about 0.3%). A 4-sigma
 * two-sided normal tail has probability 6.3e-5; over the 59 coordinates checked here the
 * chance that a correct kernel fails for a given seed is below 59 * 6.3e-5 = 0.4% (union bound).
 * alpha = 0.001 keeps the allowance small, and each test asserts that every coordinate's drift
 * is at least 4 times its total tolerance (7 to 37 times here), so a wrong drift (sign, trigger
 * law or Gamma) cannot pass. The noise is centred, so it moves the mean step only at O(alpha^2),
 * inside the allowance: a wrong noise law or Q is caught not here but by NoiseLawTest (the exact
 * one-step law) and by the replays of GoldenTest and NumericsTest against the BigDecimal
 * ReferenceChain.
 */
class DriftTest {

    private static final double ALPHA = 0.001;
    private static final int N = 80_000;
    private static final double SIGMAS = 4;
    /** Each coordinate's |drift| must be at least this multiple of its tolerance. */
    private static final double POWER = 4;
    private static final long MASTER = 7L;

    /** A point p on the simplex, a co-firing structure and a noise law. */
    record Case(String name, double[] p, CoFiring gamma, Noise noise) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        final double[] two = {0.75, 0.25};
        // Two levels, so every coordinate is far from the mean fitness p' Gamma p.
        final double[] five = {0.6, 0.1, 0.1, 0.1, 0.1};
        // The big coordinate in the middle, so that under ar1 no coordinate has (Gamma p)_i near p' Gamma p.
        final double[] fiveMiddle = {0.1, 0.1, 0.6, 0.1, 0.1};
        final double[] twenty = new double[20];
        java.util.Arrays.fill(twenty, 0.5 / 19);
        twenty[0] = 0.5;
        return Stream.of(
            new Case("d=2 independent none", two, CoFiring.independent(2), Noise.none()),
            new Case("d=2 equicorrelated(0.4) uniform(1)", two, CoFiring.equicorrelated(2, 0.4), Noise.uniform(1)),
            new Case("d=5 independent uniform(1)", five, CoFiring.independent(5), Noise.uniform(1)),
            new Case("d=5 ar1(0.6) rademacher(0.5)", fiveMiddle, CoFiring.ar1(5, 0.6), Noise.rademacher(0.5)),
            new Case("d=5 equicorrelated(0.3) none", five, CoFiring.equicorrelated(5, 0.3), Noise.none()),
            new Case("d=20 independent rademacher(1)", twenty, CoFiring.independent(20), Noise.rademacher(1)),
            new Case("d=20 equicorrelated(0.5) uniform(0.5)", twenty, CoFiring.equicorrelated(20, 0.5),
                Noise.uniform(0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void meanStepIsTheReplicatorDrift(Case c) {
        final double[] p = c.p();
        final int d = p.length;
        final double q = c.noise().q();
        // lambda = p and w(0) = 1, so p(0) = p.
        final double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1.0);
        final RunParameters params = RunParameters.builder().alpha(ALPHA).lambda(p).w0(ones)
            .gamma(c.gamma()).noise(c.noise()).iterations(1).build();

        final double[] drift = c.gamma().isIdentity() ? minusAlphaGradL(ALPHA, p) : replicatorDrift(ALPHA, p, c.gamma());
        final double[] sum = new double[d];
        final double[] sumSq = new double[d];
        final double[] p1 = new double[d];
        final StdpKernel kernel = new StdpKernel();
        for (int r = 0; r < N; r++) {
            final RunResult result = kernel.run(params, MASTER, r);
            assertEquals(1, result.iterationsRun());
            kernel.copyFinalP(p1);
            for (int i = 0; i < d; i++) {
                final double step = p1[i] - p[i];
                sum[i] += step;
                sumSq[i] += step * step;
            }
        }
        for (int i = 0; i < d; i++) {
            final double mean = sum[i] / N;
            final double variance = (sumSq[i] - N * mean * mean) / (N - 1);
            final double standardError = Math.sqrt(variance / N);
            final double allowance = ALPHA * ALPHA * p[i] * (1 + 2 * q) * (1 + q) / (1 - ALPHA * q);
            final double tolerance = SIGMAS * standardError + allowance;
            final String at = c.name() + ", coordinate " + (i + 1);
            assertTrue(Math.abs(drift[i]) >= POWER * tolerance,
                at + ": drift " + drift[i] + " must dwarf the tolerance " + tolerance + " for the test to mean anything");
            assertTrue(Math.abs(mean - drift[i]) <= tolerance,
                at + ": mean step " + mean + ", drift " + drift[i] + ", |difference| " + Math.abs(mean - drift[i])
                    + " > tolerance " + tolerance + " (4 SE = " + SIGMAS * standardError + ", alpha^2 bound = "
                    + allowance + ")");
        }
    }

    /** For Gamma = I: -alpha grad L(p) with grad L(p) = -p * (p - |p|^2 1) (MODEL.md). */
    static double[] minusAlphaGradL(double alpha, double[] p) {
        double norm2 = 0;
        for (double x : p) {
            norm2 += x * x;
        }
        final double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            final double gradL = -p[i] * (p[i] - norm2);
            out[i] = -alpha * gradL;
        }
        return out;
    }

    /** alpha p * (Gamma p - (p' Gamma p) 1), from the matrix entries. */
    static double[] replicatorDrift(double alpha, double[] p, CoFiring gamma) {
        final int d = p.length;
        final double[] gammaP = new double[d];
        double pGammaP = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                gammaP[i] += gamma.get(i, j) * p[j];
            }
            pGammaP += p[i] * gammaP[i];
        }
        final double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = alpha * p[i] * (gammaP[i] - pGammaP);
        }
        return out;
    }
}

package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * d = 2, no noise, Gamma = I: the chain is a binary tree of depth K, so its exact law follows
 * from enumerating all 2^K trigger paths with their probabilities. The enumeration here is a
 * plain-double recursion of p_1 alone, written from the model, not from the kernel:
 * <pre>
 *   trigger 1 (probability p_1):     p_1' = p_1 (1 + alpha) / (1 + alpha p_1)
 *   trigger 2 (probability 1 - p_1): p_1' = p_1 / (1 + alpha (1 - p_1))
 * </pre>
 * with dist = 2 (1 - p_1) and margin m = 2 p_1 - 1.
 *
 * <p>Two checks against it. (1) Path by path: every kernel run's dist(k), k = 0..K, must be one
 * of the two successors of the previous value (to 1e-12 relative), and its margin, Theta exit
 * and winner those of the reconstructed path: deterministic, no tolerance but rounding.
 * (2) In law: over N = 20,000 replicates, the mean of dist(k) at each k, the sample variance of
 * dist(K), P(p_1(K) > 1/2) and P(Theta_K) must lie within 4 standard errors of the exact values,
 * the standard errors computed from the exact law (variance, fourth central moment, p(1 - p)).
 * A 4-sigma two-sided normal tail has probability 6.3e-5; with 26 such comparisons over both K
 * the chance that a correct kernel fails for a given seed is below 26 * 6.3e-5 = 0.2% (union bound).
 */
class ExactEnumerationTest {

    private static final double ALPHA = 0.3;
    private static final double DELTA = 0.1;
    private static final int N = 20_000;
    private static final double SIGMAS = 4;
    private static final long MASTER = 42L;

    /** The exact law of the chain up to K, by enumeration of all 2^K paths. */
    static final class ExactLaw {
        final double[] meanDist;
        final double[] meanDistSq;
        double centralMoment4OfDistK;
        double probP1Above;
        double probTheta;
        /** Smallest |m(k) - Delta/2| and |p_1(K) - 1/2| over all paths: the events are not on a knife edge. */
        double closestToEdge = Double.POSITIVE_INFINITY;
        private final int horizon;

        ExactLaw(int horizon) {
            this.horizon = horizon;
            meanDist = new double[horizon + 1];
            meanDistSq = new double[horizon + 1];
            visit(0, (1 + DELTA) / 2, 1.0, true);
            final double mu = meanDist[horizon];
            visitMoment4(0, (1 + DELTA) / 2, 1.0, mu);
        }

        double varianceOfDist(int k) {
            return meanDistSq[k] - meanDist[k] * meanDist[k];
        }

        private void visit(int k, double p1, double prob, boolean thetaSoFar) {
            final double dist = 2 * (1 - p1);
            final double margin = 2 * p1 - 1;
            closestToEdge = Math.min(closestToEdge, Math.abs(margin - DELTA / 2));
            final boolean theta = thetaSoFar && margin >= DELTA / 2;
            meanDist[k] += prob * dist;
            meanDistSq[k] += prob * dist * dist;
            if (k == horizon) {
                closestToEdge = Math.min(closestToEdge, Math.abs(p1 - 0.5));
                probP1Above += p1 > 0.5 ? prob : 0;
                probTheta += theta ? prob : 0;
                return;
            }
            visit(k + 1, afterTrigger1(p1), prob * p1, theta);
            visit(k + 1, afterTrigger2(p1), prob * (1 - p1), theta);
        }

        private void visitMoment4(int k, double p1, double prob, double mu) {
            if (k == horizon) {
                final double c = 2 * (1 - p1) - mu;
                centralMoment4OfDistK += prob * c * c * c * c;
                return;
            }
            visitMoment4(k + 1, afterTrigger1(p1), prob * p1, mu);
            visitMoment4(k + 1, afterTrigger2(p1), prob * (1 - p1), mu);
        }
    }

    static double afterTrigger1(double p1) {
        return p1 * (1 + ALPHA) / (1 + ALPHA * p1);
    }

    static double afterTrigger2(double p1) {
        return p1 / (1 + ALPHA * (1 - p1));
    }

    private static RunParameters params(int horizon) {
        return RunParameters.builder().alpha(ALPHA).d(2).delta(DELTA).noise(Noise.none())
            .iterations(horizon).checkpoints(horizon + 1).build();
    }

    @ParameterizedTest(name = "K = {0}")
    @ValueSource(ints = {8, 12})
    void kernelFollowsTheExactLawOfAllTriggerPaths(int horizon) {
        final ExactLaw exact = new ExactLaw(horizon);
        assertTrue(exact.closestToEdge > 1e-9, "no path within rounding of an event's boundary: " + exact.closestToEdge);
        final RunParameters params = params(horizon);
        final StdpKernel kernel = new StdpKernel();

        final double[] sumDist = new double[horizon + 1];
        final double[] distK = new double[N];
        int p1Above = 0;
        int thetaHeld = 0;
        for (int r = 0; r < N; r++) {
            final RunResult run = kernel.run(params, MASTER, r);
            assertPathIsATriggerPath(run, horizon);
            final double[] dist = run.checkpointDist();
            for (int k = 0; k <= horizon; k++) {
                sumDist[k] += dist[k];
            }
            distK[r] = dist[horizon];
            p1Above += run.winner() == 0 ? 1 : 0;
            thetaHeld += run.thetaHeld() ? 1 : 0;
        }

        // dist(0) = 1 - Delta is not random: checked run by run in assertPathIsATriggerPath.
        for (int k = 1; k <= horizon; k++) {
            final double se = Math.sqrt(exact.varianceOfDist(k) / N);
            assertWithinSigmas(exact.meanDist[k], sumDist[k] / N, se, "E dist(" + k + ")");
        }
        final double variance = exact.varianceOfDist(horizon);
        // Var of the sample variance: (mu_4 - sigma^4) / N to leading order.
        final double seVariance = Math.sqrt((exact.centralMoment4OfDistK - variance * variance) / N);
        assertWithinSigmas(variance, sampleVariance(distK), seVariance, "Var dist(K)");
        assertWithinSigmas(exact.probP1Above, (double) p1Above / N, binomialSe(exact.probP1Above), "P(p_1(K) > 1/2)");
        assertWithinSigmas(exact.probTheta, (double) thetaHeld / N, binomialSe(exact.probTheta), "P(Theta_K)");
    }

    /**
     * Reconstructs the trigger path from the kernel's dist(k) at every k and checks margin,
     * Theta exit and winner along it.
     */
    private static int assertPathIsATriggerPath(RunResult run, int horizon) {
        final double[] dist = run.checkpointDist();
        final double[] margin = run.checkpointMargin();
        assertEquals(horizon + 1, dist.length, "a checkpoint at every k");
        double p1 = (1 + DELTA) / 2;
        int thetaExit = RunResult.NEVER;
        for (int k = 0; k <= horizon; k++) {
            if (k > 0) {
                final double up = afterTrigger1(p1);
                final double down = afterTrigger2(p1);
                if (relativeError(2 * (1 - up), dist[k]) < 1e-12) {
                    p1 = up;
                } else if (relativeError(2 * (1 - down), dist[k]) < 1e-12) {
                    p1 = down;
                } else {
                    fail("dist(" + k + ") = " + dist[k] + " is neither successor " + 2 * (1 - up) + " nor "
                        + 2 * (1 - down));
                }
            } else {
                assertTrue(relativeError(2 * (1 - p1), dist[0]) < 1e-12, "dist(0) = " + dist[0]);
            }
            assertEquals(2 * p1 - 1, margin[k], 1e-12, "margin(" + k + ")");
            if (thetaExit == RunResult.NEVER && 2 * p1 - 1 < DELTA / 2) {
                thetaExit = k;
            }
        }
        assertEquals(thetaExit, run.thetaExit(), "Theta exit");
        assertEquals(p1 > 0.5 ? 0 : 1, run.winner(), "winner");
        assertEquals(horizon, run.iterationsRun());
        assertEquals(StopReason.HORIZON, run.stopReason());
        return thetaExit;
    }

    /**
     * Theta_K is checked at every iteration, not only at checkpoints: runs with checkpoints at 0
     * and K alone give the Theta exit reconstructed, independently, from the same stream's
     * trigger path at every k. From p_1(0) = 0.55 one down-step already leaves Theta and the
     * chain lives on a lattice, so exits between checkpoints are common; the test insists on them.
     */
    @Test
    void thetaIsCheckedAtEveryIterationNotOnlyAtCheckpoints() {
        final int horizon = 12;
        final RunParameters dense = params(horizon);
        final RunParameters sparse = RunParameters.builder().alpha(ALPHA).d(2).delta(DELTA).noise(Noise.none())
            .iterations(horizon).checkpoints(2).build();
        assertArrayEquals(new int[] {0, horizon}, sparse.checkpoints());
        final StdpKernel kernel = new StdpKernel();
        int exitsBetweenCheckpoints = 0;
        for (int r = 0; r < 2000; r++) {
            final long[] seed = StreamSeed.of(MASTER, dense, r);
            final int exit = assertPathIsATriggerPath(kernel.run(dense, seed), horizon);
            assertEquals(exit, kernel.run(sparse, seed).thetaExit(), "Theta exit of replicate " + r);
            if (exit > 0 && exit < horizon) {
                exitsBetweenCheckpoints++;
            }
        }
        assertTrue(exitsBetweenCheckpoints > 500, "exits strictly between 0 and K: " + exitsBetweenCheckpoints);
    }

    private static double relativeError(double expected, double actual) {
        return Math.abs(actual - expected) / Math.abs(expected);
    }

    private static double binomialSe(double p) {
        return Math.sqrt(p * (1 - p) / N);
    }

    private static double sampleVariance(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return ss / (x.length - 1);
    }

    private static void assertWithinSigmas(double exact, double estimate, double se, String what) {
        assertTrue(se > 0, what + ": positive standard error");
        final double z = (estimate - exact) / se;
        assertTrue(Math.abs(z) <= SIGMAS,
            what + ": exact " + exact + ", Monte Carlo " + estimate + ", " + z + " standard errors away");
    }
}

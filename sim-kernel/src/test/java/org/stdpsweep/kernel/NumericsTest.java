package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Numerics at a large learning rate (MODEL.md, "Numerics"): alpha = 0.5 drives dist down by a
 * factor of roughly e^-0.4 per step, so p_1 reaches 1 - 1e-16 within a hundred steps and dist
 * reaches the absorption level 1e-250 after about a thousand. The kernel must keep dist to full
 * relative precision all the way down (it is computed from the small coordinates), produce no
 * NaN or Inf, stop absorbed, and carry the absorbed value to the later checkpoints.
 *
 * <p>Reference: {@link ReferenceChain}, an independent 50-digit BigDecimal replay of the same
 * random stream. The kernel rounds each factor and each sum to a double, a relative error of a
 * few ulps per step; over the ~10^3 steps before absorption these add up to at most a few
 * 10^-13 (typically ~10^-14, the errors having random signs), hence the bound 1e-12.
 */
class NumericsTest {

    private static final double ALPHA = 0.5;
    private static final int K = 1_000_000;
    private static final int D = 5;
    private static final double DELTA = 0.3;
    private static final long MASTER = 20250515L;
    private static final double RELATIVE_TOLERANCE = 1e-12;

    private static RunParameters params(Noise noise) {
        return RunParameters.builder().alpha(ALPHA).d(D).delta(DELTA).noise(noise).iterations(K)
            .checkpoints(400).hitThresholds(1e-3, 1e-100, 1e-249).build();
    }

    // At alpha = 0.5 about a third of the runs lock onto a wrong input; the replicates below
    // are fixed ones whose (reference) path is absorbed at e_1, resp. elsewhere.

    @Test
    void uniformNoiseAtHalfLearningRateIsAbsorbedAtE1WithFullPrecision() {
        checkAbsorbedRun(params(Noise.uniform(1.0)), 1, StopReason.ABSORBED_AT_E1);
    }

    @Test
    void noiseFreeChainIsAbsorbedAtE1WithFullPrecision() {
        checkAbsorbedRun(params(Noise.none()), 2, StopReason.ABSORBED_AT_E1);
    }

    @Test
    void rademacherNoiseIsAbsorbedAtE1WithFullPrecision() {
        checkAbsorbedRun(params(Noise.rademacher(1.0)), 3, StopReason.ABSORBED_AT_E1);
    }

    @Test
    void runLockedOntoAnotherInputIsAbsorbedElsewhereWithFullPrecision() {
        checkAbsorbedRun(params(Noise.uniform(1.0)), 0, StopReason.ABSORBED_ELSEWHERE);
    }

    private static void checkAbsorbedRun(RunParameters params, long replicate, StopReason expected) {
        final StdpKernel kernel = new StdpKernel();
        final RunResult r = kernel.run(params, MASTER, replicate);
        final ReferenceChain.Path ref = ReferenceChain.replay(params, MASTER, replicate);

        assertAllFinite(r);
        assertEquals(expected, ref.stopReason, "reference stop reason (the replicate was chosen for it)");
        assertEquals(expected, r.stopReason(), "stop reason");
        assertTrue(r.iterationsRun() < K, "stopped before the horizon: " + r.iterationsRun());
        assertEquals(ref.iterationsRun, r.iterationsRun(), "absorption step, kernel vs reference");
        assertEquals(ref.winner, r.winner(), "winner vs reference");
        assertEquals(ref.thetaExit, r.thetaExit(), "Theta exit vs reference");
        if (expected == StopReason.ABSORBED_AT_E1) {
            assertTrue(r.finalDist() < StdpKernel.ABSORBED && r.finalDist() >= 0, "final dist " + r.finalDist());
            assertEquals(0, r.winner(), "winner");
            assertTrue(r.converged(), "converged");
        } else {
            assertTrue(r.winner() != 0 && !r.converged(), "lost: winner " + r.winner());
            assertTrue(r.finalDist() > 2 - 1e-12, "dist at another vertex is 2: " + r.finalDist());
        }

        // Checkpoints after the stop carry the absorbed values.
        final int[] ks = r.checkpoints();
        final double[] dist = r.checkpointDist();
        final double[] margin = r.checkpointMargin();
        int carried = 0;
        for (int j = 0; j < ks.length; j++) {
            if (ks[j] > r.iterationsRun()) {
                assertEquals(Double.doubleToRawLongBits(r.finalDist()), Double.doubleToRawLongBits(dist[j]),
                    "carried dist at k = " + ks[j]);
                assertEquals(Double.doubleToRawLongBits(r.finalMargin()), Double.doubleToRawLongBits(margin[j]),
                    "carried margin at k = " + ks[j]);
                carried++;
            }
        }
        assertTrue(carried > 100, "most of the 400 checkpoints lie after the stop: " + carried);

        // Full relative precision of dist at every checkpoint above the absorption level.
        final double[] refDist = ref.distAt(ks);
        int compared = 0;
        int deep = 0;
        for (int j = 0; j < ks.length; j++) {
            if (refDist[j] > StdpKernel.ABSORBED) {
                assertRelativelyClose(refDist[j], dist[j], RELATIVE_TOLERANCE, "dist at k = " + ks[j]);
                compared++;
                if (refDist[j] < 1e-30) {
                    deep++; // here 1 - p_1 is far below a double's resolution of p_1
                }
            }
        }
        assertRelativelyClose(ref.dist[ref.iterationsRun], r.finalDist(), RELATIVE_TOLERANCE, "final dist");
        assertTrue(compared > 30, "compared " + compared + " checkpoints");
        if (expected == StopReason.ABSORBED_AT_E1) {
            assertTrue(deep > 10, deep + " checkpoints compared below dist = 1e-30");
        }

        // Final p to full relative precision in every coordinate, including the tiny ones
        // (p_1 < 1e-250 after an absorption elsewhere).
        final double[] p = new double[params.d()];
        kernel.copyFinalP(p);
        for (int i = 0; i < p.length; i++) {
            assertRelativelyClose(ref.finalP[i], p[i], RELATIVE_TOLERANCE, "final p_" + (i + 1));
        }

        // Hitting times agree with the reference path.
        final double[] thresholds = params.hitThresholds();
        final int[] hits = r.hitTimes();
        for (int j = 0; j < thresholds.length; j++) {
            assertEquals(firstAtOrBelow(ref.dist, thresholds[j]), hits[j], "tau for " + thresholds[j]);
        }
    }

    private static int firstAtOrBelow(double[] path, double threshold) {
        for (int k = 0; k < path.length; k++) {
            if (path[k] <= threshold) {
                return k;
            }
        }
        return RunResult.NEVER;
    }

    private static void assertAllFinite(RunResult r) {
        assertTrue(Double.isFinite(r.finalDist()) && Double.isFinite(r.finalMargin()), "final values finite");
        for (double x : r.checkpointDist()) {
            assertTrue(Double.isFinite(x), "checkpoint dist finite");
        }
        for (double x : r.checkpointMargin()) {
            assertTrue(Double.isFinite(x), "checkpoint margin finite");
        }
    }

    static void assertRelativelyClose(double expected, double actual, double relative, String what) {
        final double err = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(err <= relative, what + ": expected " + expected + ", got " + actual + ", relative error " + err);
    }
}

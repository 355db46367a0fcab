package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stdpsweep.kernel.RunAssertions.assertBitIdentical;
import static org.stdpsweep.kernel.RunAssertions.bits;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Determinism (MODEL.md: every run is reproducible from master seed, cell parameters and
 * replicate alone) and golden output: fixed-seed runs pinned to the bit, so that an accidental
 * change of the random stream or of the arithmetic fails. The pinned values are not merely the
 * kernel's own output: each is also checked against {@link ReferenceChain}, an independent
 * 50-digit replay of the documented draw order, to 1e-12 relative in dist (a double kernel
 * accumulates a few ulps per step over 300 steps, ~1e-13 at worst) and exactly in the
 * Theta exit time, the hitting times and the winner.
 */
class GoldenTest {

    private static final long MASTER = 2025L;

    /** One pinned run: a cell, a replicate and the kernel's exact output. */
    record Golden(String name, RunParameters params, long replicate, long finalDistBits, long finalMarginBits,
                  int thetaExit, int winner, int[] hitTimes, boolean converged) {
        @Override
        public String toString() {
            return name + " #" + replicate;
        }
    }

    private static RunParameters cell(int d, double alpha, double delta, CoFiring gamma, Noise noise) {
        return RunParameters.builder().d(d).alpha(alpha).delta(delta).gamma(gamma).noise(noise).iterations(300)
            .hitThresholds(1e-3, 0.5).build();
    }

    static Stream<Golden> goldens() {
        return Stream.of(
            new Golden("d=3 independent uniform(0.7)",
                cell(3, 0.05, 0.1, CoFiring.independent(3), Noise.uniform(0.7)), 0,
                0x3f04ff0cab12a2d6L, 0x3fefffb946f19151L, 11, 0, new int[] {246, 105}, false),
            new Golden("d=7 ar1(0.5) rademacher(0.5)",
                cell(7, 0.08, 0.05, CoFiring.ar1(7, 0.5), Noise.rademacher(0.5)), 3,
                0x3f6ebf54e1f8db8fL, 0x3fefebd342fe867cL, 27, 0, new int[] {-1, 209}, false),
            new Golden("d=7 ar1(0.5) rademacher(0.5), lost",
                cell(7, 0.08, 0.05, CoFiring.ar1(7, 0.5), Noise.rademacher(0.5)), 1,
                0x3fffffffe8d8b2ffL, 0xbfefefe473f63831L, 4, 3, new int[] {-1, -1}, false),
            new Golden("d=12 block(4, 0.6) none",
                cell(12, 0.1, 0.2, CoFiring.block(12, 4, 0.6), Noise.none()), 0,
                0x3f101d27917dbb5fL, 0x3fefff9cf5779002L, -1, 0, new int[] {229, 50}, false),
            new Golden("d=5 equicorrelated(0.4) uniform(1)",
                cell(5, 0.1, 0.15, CoFiring.equicorrelated(5, 0.4), Noise.uniform(1.0)), 2,
                0x3ea3a172bc0b852fL, 0x3fefffff1fc8a686L, -1, 0, new int[] {198, 69}, true));
    }

    // ---- golden output -------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void kernelReproducesThePinnedRun(Golden g) {
        final RunResult r = new StdpKernel().run(g.params(), MASTER, g.replicate());
        final String actual = String.format("0x%sL, 0x%sL, %d, %d, new int[] %s, %b",
            Long.toHexString(bits(r.finalDist())), Long.toHexString(bits(r.finalMargin())), r.thetaExit(), r.winner(),
            Arrays.toString(r.hitTimes()).replace('[', '{').replace(']', '}'), r.converged());
        assertEquals(g.finalDistBits(), bits(r.finalDist()), "final dist bits; the run now gives: " + actual);
        assertEquals(g.finalMarginBits(), bits(r.finalMargin()), "final margin bits; the run now gives: " + actual);
        assertEquals(g.thetaExit(), r.thetaExit(), "Theta exit; the run now gives: " + actual);
        assertEquals(g.winner(), r.winner(), "winner; the run now gives: " + actual);
        assertArrayEquals(g.hitTimes(), r.hitTimes(), "hit times; the run now gives: " + actual);
        assertEquals(g.converged(), r.converged(), "converged; the run now gives: " + actual);
        assertEquals(StopReason.HORIZON, r.stopReason());
        assertEquals(300, r.iterationsRun());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void pinnedRunIsTheReferenceReplay(Golden g) {
        final ReferenceChain.Path ref = ReferenceChain.replay(g.params(), MASTER, g.replicate());
        assertEquals(300, ref.iterationsRun);
        final double dist = Double.longBitsToDouble(g.finalDistBits());
        final double margin = Double.longBitsToDouble(g.finalMarginBits());
        NumericsTest.assertRelativelyClose(ref.dist[300], dist, 1e-12, "pinned dist(K) vs reference");
        assertEquals(ref.margin[300], margin, 1e-12, "pinned m(K) vs reference");
        assertEquals(ref.thetaExit, g.thetaExit(), "pinned Theta exit vs reference");
        assertEquals(ref.winner, g.winner(), "pinned winner vs reference");
        final double[] thresholds = g.params().hitThresholds();
        for (int j = 0; j < thresholds.length; j++) {
            assertEquals(firstAtOrBelow(ref.dist, thresholds[j]), g.hitTimes()[j], "pinned tau for " + thresholds[j]);
        }
        assertEquals(ref.winner == 0 && ref.dist[300] <= g.params().tolerance(), g.converged(), "pinned converged");
    }

    /** Beyond the pins: the replay and the kernel agree at every checkpoint, over several replicates of each cell. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void kernelFollowsTheReferenceReplayAtEveryCheckpoint(Golden g) {
        final StdpKernel kernel = new StdpKernel();
        for (long rep = 10; rep < 16; rep++) {
            final RunResult r = kernel.run(g.params(), MASTER, rep);
            final ReferenceChain.Path ref = ReferenceChain.replay(g.params(), MASTER, rep);
            final int[] ks = r.checkpoints();
            final double[] dist = r.checkpointDist();
            final double[] margin = r.checkpointMargin();
            for (int j = 0; j < ks.length; j++) {
                NumericsTest.assertRelativelyClose(ref.dist[ks[j]], dist[j], 1e-12,
                    "replicate " + rep + ", dist(" + ks[j] + ")");
                assertEquals(ref.margin[ks[j]], margin[j], 1e-12, "replicate " + rep + ", m(" + ks[j] + ")");
            }
            assertEquals(ref.thetaExit, r.thetaExit(), "replicate " + rep + ", Theta exit");
            assertEquals(ref.winner, r.winner(), "replicate " + rep + ", winner");
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

    // ---- determinism ---------------------------------------------------------------------

    private static RunParameters small() {
        return cell(3, 0.05, 0.1, CoFiring.independent(3), Noise.uniform(0.7));
    }

    private static RunParameters large() {
        return cell(12, 0.1, 0.2, CoFiring.block(12, 4, 0.6), Noise.rademacher(0.3));
    }

    @Test
    void sameInputsGiveBitIdenticalRuns() {
        for (RunParameters p : List.of(small(), large())) {
            final StdpKernel kernel = new StdpKernel();
            final RunResult first = kernel.run(p, MASTER, 5);
            assertBitIdentical(first, kernel.run(p, MASTER, 5), "same kernel, again");
            assertBitIdentical(first, new StdpKernel().run(p, MASTER, 5), "a second kernel");
            assertBitIdentical(first, new StdpKernel().run(p, StreamSeed.of(MASTER, p, 5)), "from the explicit seed");
        }
    }

    @Test
    void reusedKernelAgreesWithAFreshOne() {
        final StdpKernel reused = new StdpKernel();
        final double[] pReused = new double[12];
        final double[] pFresh = new double[12];
        // Small, then large (buffers grow), then small again (buffers are larger than d).
        for (RunParameters p : List.of(small(), large(), small(), large())) {
            final RunResult r = reused.run(p, MASTER, 1);
            reused.copyFinalP(pReused);
            final StdpKernel fresh = new StdpKernel();
            assertBitIdentical(fresh.run(p, MASTER, 1), r, "d = " + p.d());
            fresh.copyFinalP(pFresh);
            assertArrayEquals(bits(Arrays.copyOf(pFresh, p.d())), bits(Arrays.copyOf(pReused, p.d())),
                "final p, d = " + p.d());
        }
    }

    @Test
    void anotherReplicateOrMasterSeedGivesAnotherStream() {
        final RunParameters p = small();
        final long[] seed = StreamSeed.of(MASTER, p, 0);
        assertFalse(Arrays.equals(seed, StreamSeed.of(MASTER, p, 1)), "replicate 1");
        assertFalse(Arrays.equals(seed, StreamSeed.of(MASTER + 1, p, 0)), "master + 1");
        // The replicate and the master seed are not interchangeable.
        assertFalse(Arrays.equals(StreamSeed.of(1, p, 2), StreamSeed.of(2, p, 1)), "(1, 2) vs (2, 1)");
        final RunResult r = new StdpKernel().run(p, MASTER, 0);
        assertNotEquals(bits(r.finalDist()), bits(new StdpKernel().run(p, MASTER, 1).finalDist()), "replicate 1");
        assertNotEquals(bits(r.finalDist()), bits(new StdpKernel().run(p, MASTER + 1, 0).finalDist()), "master + 1");
    }

    @Test
    void streamSeedDependsOnTheLawOnly() {
        final RunParameters.Builder base = RunParameters.builder().d(4).alpha(0.1).delta(0.2)
            .gamma(CoFiring.ar1(4, 0.3)).noise(Noise.uniform(0.5)).iterations(100);
        final long[] seed = StreamSeed.of(MASTER, base.build(), 0);

        final List<UnaryOperator<RunParameters.Builder>> lawChanges = List.of(
            b -> b.alpha(0.1000001),
            b -> b.d(5).gamma(CoFiring.ar1(5, 0.3)),
            b -> b.delta(0.21),
            b -> b.gamma(CoFiring.ar1(4, 0.31)),
            b -> b.gamma(CoFiring.equicorrelated(4, 0.3)),
            b -> b.gamma(CoFiring.independent(4)),
            b -> b.noise(Noise.uniform(0.51)),
            b -> b.noise(Noise.rademacher(0.5)),
            b -> b.noise(Noise.none()));
        for (int i = 0; i < lawChanges.size(); i++) {
            final RunParameters changed = lawChanges.get(i).apply(base.build().toBuilder()).build();
            assertFalse(Arrays.equals(seed, StreamSeed.of(MASTER, changed, 0)), "law change #" + i);
        }
        final List<UnaryOperator<RunParameters.Builder>> horizonChanges = List.of(
            b -> b.iterations(5000),
            b -> b.checkpoints(7),
            b -> b.hitThresholds(0.1, 1e-9),
            b -> b.tolerance(1e-3));
        for (int i = 0; i < horizonChanges.size(); i++) {
            final RunParameters changed = horizonChanges.get(i).apply(base.build().toBuilder()).build();
            assertArrayEquals(seed, StreamSeed.of(MASTER, changed, 0), "not a law change #" + i);
        }

        // Explicit initial conditions: lambda and w0 are part of the law.
        final RunParameters.Builder explicit = RunParameters.builder().alpha(0.1).lambda(3, 2, 1).w0(1, 1, 1).iterations(10);
        final long[] explicitSeed = StreamSeed.of(MASTER, explicit.build(), 0);
        assertFalse(Arrays.equals(explicitSeed, StreamSeed.of(MASTER, explicit.lambda(3, 2, 1.5).build(), 0)), "lambda");
        final RunParameters otherW0 = explicit.lambda(3, 2, 1).w0(1, 1, 2).build();
        assertFalse(Arrays.equals(explicitSeed, StreamSeed.of(MASTER, otherW0, 0)), "w0");
    }

    /** A longer horizon extends the same path: the K = 500 run is a prefix of the K = 2000 run. */
    @Test
    void longerHorizonExtendsTheSamePath() {
        final RunParameters.Builder b = RunParameters.builder().d(6).alpha(0.02).delta(0.1)
            .gamma(CoFiring.equicorrelated(6, 0.2)).noise(Noise.uniform(0.8));
        final RunParameters shortRun = b.iterations(500).checkpoints(501).build();
        final RunParameters longRun = b.iterations(2000).checkpoints(2001).build();
        for (long rep = 0; rep < 3; rep++) {
            final RunResult s = new StdpKernel().run(shortRun, MASTER, rep);
            final RunResult l = new StdpKernel().run(longRun, MASTER, rep);
            assertEquals(StopReason.HORIZON, s.stopReason());
            assertArrayEquals(bits(s.checkpointDist()), bits(Arrays.copyOf(l.checkpointDist(), 501)), "dist(0..500)");
            assertArrayEquals(bits(s.checkpointMargin()), bits(Arrays.copyOf(l.checkpointMargin(), 501)), "m(0..500)");
            assertTrue(s.thetaHeld() ? l.thetaExit() == RunResult.NEVER || l.thetaExit() > 500
                : l.thetaExit() == s.thetaExit(), "Theta exit is a prefix property");
        }
    }

    // ---- the events of a run are those of its path ---------------------------------------

    /**
     * With a checkpoint at every k, the Theta exit is the first k with m(k) < Delta/2, each
     * tau the first k with dist(k) <= its threshold (in the configured order, here unsorted),
     * and converged is argmax = 1 and dist(K) <= tolerance.
     */
    @Test
    void eventsAreThoseOfTheObservedPath() {
        final int horizon = 400;
        final double[] thresholds = {1e-3, 0.5, 1e-2, 1.5};
        final RunParameters p = RunParameters.builder().d(5).alpha(0.1).delta(0.1).noise(Noise.uniform(1.0))
            .iterations(horizon).checkpoints(horizon + 1).hitThresholds(thresholds).tolerance(1e-4).build();
        final StdpKernel kernel = new StdpKernel();
        int exits = 0;
        int hits = 0;
        int converged = 0;
        for (long rep = 0; rep < 40; rep++) {
            final RunResult r = kernel.run(p, MASTER, rep);
            final double[] dist = r.checkpointDist();
            final double[] margin = r.checkpointMargin();
            int exit = RunResult.NEVER;
            for (int k = 0; k <= horizon && exit < 0; k++) {
                exit = margin[k] < p.delta() / 2 ? k : exit;
            }
            assertEquals(exit, r.thetaExit(), "Theta exit");
            for (int j = 0; j < thresholds.length; j++) {
                assertEquals(firstAtOrBelow(dist, thresholds[j]), r.hitTimes()[j], "tau for " + thresholds[j]);
                hits += r.hitTimes()[j] > 0 ? 1 : 0;
            }
            assertEquals(bits(dist[horizon]), bits(r.finalDist()), "final dist");
            assertEquals(bits(margin[horizon]), bits(r.finalMargin()), "final margin");
            assertEquals(r.winner() == 0 && r.finalDist() <= 1e-4, r.converged(), "converged");
            exits += exit >= 0 ? 1 : 0;
            converged += r.converged() ? 1 : 0;
        }
        assertTrue(exits > 0 && exits < 40 && hits > 0 && converged > 0 && converged < 40,
            "the sample exercises both outcomes: exits " + exits + ", converged " + converged);
    }
}

package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hot loop allocates nothing per iteration: a run of K = 100 000 iterations allocates as
 * much as one of K = 1 000 with the same checkpoints (the per-run result arrays). One boxed
 * value or array per iteration would show as at least 16 bytes x 99 000 = 1.6 MB; the bound
 * allowed is 1 KiB. Measured with the JVM's per-thread allocation counter, which counts every
 * heap allocation of the thread, on a warmed-up kernel reused across runs (here both runs allocate
 * 1 056 bytes; with one {@code new double[1]} per iteration injected the test failed at 2.4 MB).
 */
class AllocationTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "uniform", "rademacher", "cofiring"})
    void runLengthDoesNotChangeAllocation(String path) {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);
        // alpha = 0.001: far from absorption within 10^5 iterations, so both runs go to the horizon.
        final RunParameters.Builder b = RunParameters.builder().alpha(0.001).d(10).delta(0.1).checkpoints(40)
            .hitThresholds(new double[] {1e-1, 1e-3});
        switch (path) {
            case "uniform" -> b.noise(Noise.uniform(1.0));
            case "rademacher" -> b.noise(Noise.rademacher(0.5));
            case "cofiring" -> b.gamma(CoFiring.equicorrelated(10, 0.3)).noise(Noise.uniform(0.5));
            default -> b.noise(Noise.none());
        }
        final RunParameters shortRun = b.iterations(1_000).build();
        final RunParameters longRun = b.iterations(100_000).build();
        final StdpKernel kernel = new StdpKernel();
        for (int r = 0; r < 30; r++) { // warm-up, so compilation settles before measuring
            kernel.run(longRun, 1, r);
        }
        final long shortBytes = allocated(threads, kernel, shortRun);
        final long longBytes = allocated(threads, kernel, longRun);
        assertTrue(longBytes - shortBytes <= 1024, path + ": K = 100 000 allocated " + longBytes
            + " bytes, K = 1 000 allocated " + shortBytes);
    }

    private static long allocated(com.sun.management.ThreadMXBean threads, StdpKernel kernel, RunParameters p) {
        final long[] seed = StreamSeed.of(42, p, 0);
        final long before = threads.getCurrentThreadAllocatedBytes();
        final RunResult result = kernel.run(p, seed);
        final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(p.iterations(), result.iterationsRun(), "the run reached its horizon");
        return bytes;
    }
}

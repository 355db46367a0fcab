package org.stdpsweep.bench;

import java.util.concurrent.TimeUnit;

import org.apache.commons.rng.core.source64.L64X128Mix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.stdpsweep.kernel.CoFiring;
import org.stdpsweep.kernel.Noise;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.kernel.StdpKernel;
import org.stdpsweep.kernel.StreamSeed;

/**
 * The kernel on exactly the NumPy peer's problem ({@code /work/shared/peers/numpy_reduced.py}
 * with its defaults: alpha 0.05, Delta 0.1, d 10, Gamma independent, uniform noise Q = 1,
 * K 2000, 1000 seeds), reported as seed-iterations per second (one run of K iterations is K
 * seed-iterations), the peer's own unit. Each run is seeded from (master seed, cell,
 * replicate) through SHA-256, as in a sweep, so seeding is included, as the peer's seeding
 * is in its time. Also JMH's empty baseline and the seeding cost alone, per run.
 *
 * <p>Run: {@code java -jar kernel-bench/target/benchmarks.jar PeerBench}
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
public class PeerBench {

    static final int D = 10;
    static final int K = 2000;
    /** Runs per invocation; the peer's 1000 seeds are cycled through. */
    static final int RUNS = 50;
    static final int SEEDS = 1000;

    private RunParameters params;
    private StdpKernel kernel;
    private int replicate;

    @Setup(Level.Trial)
    public void setup() {
        params = RunParameters.builder().alpha(0.05).delta(0.1).d(D).gamma(CoFiring.independent(D))
            .noise(Noise.uniform(1.0)).iterations(K).hitThresholds(1e-3).build();
        kernel = new StdpKernel();
        for (int r = 0; r < SEEDS; r++) {
            final RunResult res = kernel.run(params, KernelBench.MASTER_SEED, r);
            if (res.iterationsRun() != K) {
                throw new IllegalStateException("replicate " + r + " stopped early (" + res.stopReason()
                    + " after " + res.iterationsRun() + " of K = " + K + " iterations)");
            }
        }
        replicate = 0;
    }

    /** JMH's baseline: an empty method, the harness's own cost per call. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void baseline() {
        // intentionally empty
    }

    /** Seed-iterations per second on the peer's problem, seeding included. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RUNS * K)
    public void numpyPeerProblem(Blackhole bh) {
        final StdpKernel k = kernel;
        final RunParameters p = params;
        int r = replicate;
        for (int j = 0; j < RUNS; j++) {
            bh.consume(k.run(p, KernelBench.MASTER_SEED, r));
            if (++r == SEEDS) {
                r = 0;
            }
        }
        replicate = r;
    }

    /** Seeding one run alone: the SHA-256 stream seed and a new generator; ns per run. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public L64X128Mix seeding() {
        final int r = replicate;
        replicate = r + 1 == SEEDS ? 0 : r + 1;
        return new L64X128Mix(StreamSeed.of(KernelBench.MASTER_SEED, params, r));
    }
}

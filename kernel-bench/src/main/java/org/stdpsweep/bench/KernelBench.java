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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.stdpsweep.kernel.CoFiring;
import org.stdpsweep.kernel.KernelRandom;
import org.stdpsweep.kernel.Noise;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.kernel.StdpKernel;
import org.stdpsweep.kernel.StreamSeed;

/**
 * Cost of one coordinate-update of {@link StdpKernel} against the random-number floor.
 *
 * <p>Every invocation of {@link #kernel} and {@link #floor} does {@link #UPDATES} coordinate
 * updates: {@code runs} runs of K = 2000 iterations at dimension d (one iteration at dimension
 * d is d updates), so {@code runs = UPDATES / (K d)}: 500 runs at d = 2, 100 at d = 10, 10 at
 * d = 100 and 1 at d = 1000. With {@code @OperationsPerInvocation(UPDATES)} JMH reports
 * nanoseconds per coordinate-update directly. Runs use distinct, precomputed seeds (cycled),
 * so the seeding cost (SHA-256, see {@link PeerBench#seeding}) is measured apart and not in
 * {@link #kernel}; constructing the generator from the four seed words is in the kernel's
 * time, once per K d updates.
 *
 * <p>The floor draws exactly the doubles the kernel draws, with the same generator
 * (L64X128Mix, {@code nextDouble()}), and sums them into one accumulator: per iteration one for
 * the trigger, plus one per coordinate with uniform noise. It is what no implementation that
 * keeps the stream contract can beat.
 *
 * <p>Parameters: alpha 0.05, Delta 0.1, Gamma independent, uniform noise Q = 1; the setup
 * checks that no run stops early by absorption (iterationsRun == K), so every run does K d
 * updates.
 *
 * <p>Run: {@code java -jar kernel-bench/target/benchmarks.jar KernelBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Threads(1)
public class KernelBench {

    /** Coordinate-updates per benchmark invocation (a multiple of K d for every d below). */
    public static final int UPDATES = 2_000_000;
    /** The horizon K. */
    public static final int K = 2000;
    static final double ALPHA = 0.05;
    static final double DELTA = 0.1;
    static final double Q = 1.0;
    static final long MASTER_SEED = 20250514L;
    /** Distinct replicates per configuration; invocations cycle through them. */
    static final int SEEDS = 500;

    @Param({"2", "10", "100", "1000"})
    public int d;

    @Param({"none", "uniform"})
    public String noise;

    private RunParameters params;
    private StdpKernel kernelInstance;
    private long[][] seeds;
    private int runs;
    private int nextSeed;
    /** Doubles the kernel draws per iteration: 1 (trigger) + d (uniform noise) or 1 (none). */
    private int drawsPerIteration;
    private L64X128Mix floorRng;
    private KernelRandom fillRng;
    private double[] fillBuffer;

    @Setup(Level.Trial)
    public void setup() {
        if (UPDATES % (K * d) != 0) {
            throw new IllegalStateException("UPDATES = " + UPDATES + " is not a multiple of K d = " + K * d);
        }
        runs = UPDATES / (K * d);
        final Noise z;
        switch (noise) {
            case "none": z = Noise.none(); drawsPerIteration = 1; break;
            case "uniform": z = Noise.uniform(Q); drawsPerIteration = 1 + d; break;
            default: throw new IllegalArgumentException("noise " + noise);
        }
        params = RunParameters.builder().alpha(ALPHA).delta(DELTA).d(d)
            .gamma(CoFiring.independent(d)).noise(z).iterations(K).build();
        kernelInstance = new StdpKernel();
        seeds = new long[SEEDS][];
        for (int r = 0; r < SEEDS; r++) {
            seeds[r] = StreamSeed.of(MASTER_SEED, params, r);
            final RunResult res = kernelInstance.run(params, seeds[r]);
            if (res.iterationsRun() != K) {
                throw new IllegalStateException("d = " + d + ", noise = " + noise + ", replicate " + r
                    + " stopped early (" + res.stopReason() + " after " + res.iterationsRun()
                    + " of K = " + K + " iterations): the benchmark would undercount; lower K");
            }
        }
        floorRng = new L64X128Mix(seeds[0]);
        fillRng = new KernelRandom(seeds[0]);
        fillBuffer = new double[drawsPerIteration];
        nextSeed = 0;
    }

    /** The kernel: {@code runs} runs of K iterations, UPDATES coordinate-updates in all. */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public void kernel(Blackhole bh) {
        final StdpKernel k = kernelInstance;
        final RunParameters p = params;
        int s = nextSeed;
        for (int r = 0; r < runs; r++) {
            bh.consume(k.run(p, seeds[s]));
            if (++s == SEEDS) {
                s = 0;
            }
        }
        nextSeed = s;
    }

    /**
     * The random-number floor of the way the kernel draws with uniform noise and Gamma = I: the
     * same doubles, one {@link KernelRandom#fill} of 1 + d (or 1) per iteration into a scratch
     * buffer, summed. Lower than {@link #floor}, since the generator's state stays in registers.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public void floorFill(Blackhole bh) {
        final KernelRandom rng = fillRng;
        final double[] buf = fillBuffer;
        final int n = drawsPerIteration;
        final int iterations = runs * K;
        double acc = 0;
        for (int k = 0; k < iterations; k++) {
            rng.fill(buf, n);
            for (int i = 0; i < n; i++) {
                acc += buf[i];
            }
        }
        bh.consume(acc);
    }

    /**
     * The random-number floor: the same count of nextDouble() calls as {@link #kernel}, in the
     * same shape (per iteration one, then one per coordinate with uniform noise), summed into an
     * accumulator that the Blackhole consumes.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public void floor(Blackhole bh) {
        final L64X128Mix rng = floorRng;
        final int perCoordinate = drawsPerIteration - 1;
        final int iterations = runs * K;
        double acc = 0;
        for (int k = 0; k < iterations; k++) {
            acc += rng.nextDouble();
            for (int i = 0; i < perCoordinate; i++) {
                acc += rng.nextDouble();
            }
        }
        bh.consume(acc);
    }
}

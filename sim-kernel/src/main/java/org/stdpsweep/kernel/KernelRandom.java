package org.stdpsweep.kernel;

import org.apache.commons.rng.core.source64.L64X128Mix;

/**
 * Commons RNG's {@link L64X128Mix}, seeded and stepped by the library, plus {@link #fill}: the
 * same generator stepped in local variables, so that a hot loop drawing many doubles does not
 * load and store the four state words through memory at every draw.
 *
 * <p>{@link #fill} reads the library's own state fields ({@code la}, {@code ls}, {@code x0},
 * {@code x1}, protected in {@code AbstractL64} and {@code AbstractL64X128}), applies exactly
 * {@code L64X128Mix.next()} to them n times and writes them back, so calls to {@link #fill},
 * {@link #nextDouble()} and {@link #nextLong()} may be freely interleaved and together read one
 * stream: {@code fill(buf, n)} leaves in {@code buf[0..n)} what n calls of {@code nextDouble()}
 * would have returned, bit for bit. The class initialiser checks this against the library
 * (for two seeds, across interleavings) and refuses to load if it ever differs. Public so that
 * the benchmarks can measure the random-number floor of the way the kernel draws.
 */
public final class KernelRandom extends L64X128Mix {

    /** The LCG multiplier of L64X128Mix ({@code AbstractL64X128.M}). */
    private static final long M = 0xd1342543de82ef95L;
    /** The multiplier of the lea64 output mix ({@code LXMSupport}). */
    private static final long LEA = 0xdaba0b6eb09322e3L;
    /** 2^-53: Commons RNG's nextDouble() is {@code (nextLong() >>> 11) 2^-53}. */
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    static {
        selfCheck();
    }

    /** @param seed the four words of an {@link L64X128Mix} seed, e.g. from {@link StreamSeed#of} */
    public KernelRandom(long[] seed) {
        super(seed);
    }

    /** Stores the next {@code n} values of {@link #nextDouble()} in {@code buf[0..n)}. */
    public void fill(double[] buf, int n) {
        final long a = la;
        long s = ls;
        long x0 = this.x0;
        long x1 = this.x1;
        for (int j = 0; j < n; j++) {
            // L64X128Mix.next(): output from the pre-step state, then step the LCG and xoroshiro128.
            long z = s + x0;
            z = (z ^ (z >>> 32)) * LEA;
            z = (z ^ (z >>> 32)) * LEA;
            z = z ^ (z >>> 32);
            s = M * s + a;
            x1 ^= x0;
            x0 = Long.rotateLeft(x0, 24) ^ x1 ^ (x1 << 16);
            x1 = Long.rotateLeft(x1, 37);
            buf[j] = (z >>> 11) * DOUBLE_UNIT;
        }
        ls = s;
        this.x0 = x0;
        this.x1 = x1;
    }

    /** Refuses to load unless {@link #fill} reproduces the library's stream bit for bit. */
    private static void selfCheck() {
        final long[][] seeds = {
            {0x9e3779b97f4a7c15L, 0x0123456789abcdefL, 0xfedcba9876543210L, 0x5851f42d4c957f2dL},
            {1, 2, 3, 4},
        };
        final double[] buf = new double[67];
        for (long[] seed : seeds) {
            final KernelRandom mine = new KernelRandom(seed);
            final L64X128Mix lib = new L64X128Mix(seed);
            for (int round = 0; round < 8; round++) {
                final int n = round * 9 + 3 > buf.length ? buf.length : round * 9 + 3;
                mine.fill(buf, n);
                for (int j = 0; j < n; j++) {
                    check(Double.doubleToRawLongBits(buf[j]) == Double.doubleToRawLongBits(lib.nextDouble()));
                }
                check(mine.nextLong() == lib.nextLong());
                check(Double.doubleToRawLongBits(mine.nextDouble()) == Double.doubleToRawLongBits(lib.nextDouble()));
            }
        }
    }

    private static void check(boolean same) {
        if (!same) {
            throw new IllegalStateException("KernelRandom.fill no longer reproduces L64X128Mix.nextDouble() bit for bit"
                + " (a changed commons-rng?): the kernel's stream contract would break");
        }
    }
}

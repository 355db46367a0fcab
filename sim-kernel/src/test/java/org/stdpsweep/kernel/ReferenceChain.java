package org.stdpsweep.kernel;

import java.math.BigDecimal;
import java.math.MathContext;

import org.apache.commons.rng.core.source64.L64X128Mix;

/**
 * An independent, slow, high-precision replay of the reduced chain (MODEL.md section 1), for
 * tests only. It shares nothing with {@link StdpKernel} but the random stream: it reads the
 * same {@link L64X128Mix} words in the draw order that StdpKernel's javadoc documents, and
 * carries p in {@link BigDecimal} with {@link #PRECISION} significant digits, so its dist and
 * margin are exact to far more digits than a double holds.
 *
 * <p>Per iteration, exactly as documented: one double u for the trigger (I is the first i with
 * u s < p_0 + ... + p_i, the last index if none); then for each i = 0..d-1, if i != I and
 * 0 < Gamma[i][I] < 1 one double (B_i = 1 iff u < Gamma[i][I]), then the noise: uniform takes
 * one double and Z_i = Q (2u - 1); rademacher takes one long at every i divisible by 64 and
 * Z_i = +Q iff bit (i mod 64) is set. A double is (x >>> 11) 2^-53 of the next long x.
 * The update is the textbook one, p_i <- p_i (1 + alpha (B_i + Z_i)), then divide by the sum.
 */
final class ReferenceChain {

    /** Significant decimal digits carried through every operation. */
    static final MathContext PRECISION = new MathContext(50);

    private static final BigDecimal ABSORBED = new BigDecimal("1e-250");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    /** The replayed path, observed at every k = 0..iterationsRun. */
    static final class Path {
        /** dist(k) and m(k), rounded to double from the BigDecimal values. */
        final double[] dist;
        final double[] margin;
        /** First k with m(k) < Delta/2, or {@link RunResult#NEVER}. */
        final int thetaExit;
        /** argmax p at the last observed k, ties to the lower index. */
        final int winner;
        final int iterationsRun;
        final StopReason stopReason;
        final double[] finalP;

        Path(double[] dist, double[] margin, int thetaExit, int winner, int iterationsRun,
             StopReason stopReason, double[] finalP) {
            this.dist = dist;
            this.margin = margin;
            this.thetaExit = thetaExit;
            this.winner = winner;
            this.iterationsRun = iterationsRun;
            this.stopReason = stopReason;
            this.finalP = finalP;
        }

        /** @return dist at each of {@code ks}, the last observed value after an absorption stop */
        double[] distAt(int[] ks) {
            final double[] out = new double[ks.length];
            for (int j = 0; j < ks.length; j++) {
                out[j] = dist[Math.min(ks[j], iterationsRun)];
            }
            return out;
        }
    }

    private ReferenceChain() {
    }

    /** Replays {@code params} on the stream of replicate {@code replicate} under {@code master}. */
    static Path replay(RunParameters params, long master, long replicate) {
        return replay(params, StreamSeed.of(master, params, replicate));
    }

    /** Replays {@code params} on the L64X128Mix stream seeded by {@code seed}. */
    static Path replay(RunParameters params, long[] seed) {
        final L64X128Mix rng = new L64X128Mix(seed);
        final int d = params.d();
        final int iterations = params.iterations();
        final BigDecimal alpha = new BigDecimal(params.alpha());
        final BigDecimal q = new BigDecimal(params.noise().q());
        final Noise.Model noise = params.noise().model();
        final CoFiring gamma = params.gamma();
        final BigDecimal halfDelta = new BigDecimal(params.delta()).divide(TWO);

        // p(0) = lambda * w(0) / <lambda, w(0)>, from the raw inputs.
        final double[] lambda = params.lambda();
        final double[] w0 = params.w0();
        BigDecimal[] p = new BigDecimal[d];
        for (int i = 0; i < d; i++) {
            p[i] = new BigDecimal(lambda[i]).multiply(new BigDecimal(w0[i]), PRECISION);
        }
        p = normalised(p);

        final double[] dist = new double[iterations + 1];
        final double[] margin = new double[iterations + 1];
        final boolean[] fired = new boolean[d];
        int thetaExit = RunResult.NEVER;
        StopReason stop = StopReason.HORIZON;
        int k = 0;
        while (true) {
            BigDecimal rest = BigDecimal.ZERO;
            BigDecimal max = BigDecimal.ZERO;
            for (int i = 1; i < d; i++) {
                rest = rest.add(p[i], PRECISION);
                max = max.max(p[i]);
            }
            final BigDecimal m = p[0].subtract(max, PRECISION);
            final BigDecimal distK = TWO.multiply(rest, PRECISION);
            dist[k] = distK.doubleValue();
            margin[k] = m.doubleValue();
            if (thetaExit == RunResult.NEVER && m.compareTo(halfDelta) < 0) {
                thetaExit = k;
            }
            if (distK.compareTo(ABSORBED) < 0) {
                stop = StopReason.ABSORBED_AT_E1;
                break;
            }
            if (p[0].compareTo(ABSORBED) < 0) {
                stop = StopReason.ABSORBED_ELSEWHERE;
                break;
            }
            if (k == iterations) {
                break;
            }

            // Trigger: first i with u < p_0 + ... + p_i (p sums to 1 to PRECISION digits).
            final BigDecimal u = uniform(rng);
            int trigger = d - 1;
            BigDecimal cumulative = BigDecimal.ZERO;
            for (int i = 0; i < d - 1; i++) {
                cumulative = cumulative.add(p[i], PRECISION);
                if (u.compareTo(cumulative) < 0) {
                    trigger = i;
                    break;
                }
            }
            long word = 0;
            for (int i = 0; i < d; i++) {
                final double g = gamma.get(i, trigger);
                if (i == trigger || g == 1) {
                    fired[i] = true;
                } else if (g > 0) {
                    fired[i] = uniform(rng).compareTo(new BigDecimal(g)) < 0;
                } else {
                    fired[i] = false;
                }
                final BigDecimal z;
                switch (noise) {
                    case UNIFORM:
                        z = q.multiply(TWO.multiply(uniform(rng)).subtract(BigDecimal.ONE));
                        break;
                    case RADEMACHER:
                        if (i % 64 == 0) {
                            word = rng.nextLong();
                        }
                        z = ((word >>> (i % 64)) & 1) != 0 ? q : q.negate();
                        break;
                    default:
                        z = BigDecimal.ZERO;
                }
                final BigDecimal b = fired[i] ? BigDecimal.ONE : BigDecimal.ZERO;
                final BigDecimal factor = BigDecimal.ONE.add(alpha.multiply(b.add(z)), PRECISION);
                p[i] = p[i].multiply(factor, PRECISION);
            }
            p = normalised(p);
            k++;
        }
        int winner = 0;
        for (int i = 1; i < d; i++) {
            if (p[i].compareTo(p[winner]) > 0) {
                winner = i;
            }
        }
        final double[] finalP = new double[d];
        for (int i = 0; i < d; i++) {
            finalP[i] = p[i].doubleValue();
        }
        return new Path(java.util.Arrays.copyOf(dist, k + 1), java.util.Arrays.copyOf(margin, k + 1),
            thetaExit, winner, k, stop, finalP);
    }

    /** The next double of the stream, (x >>> 11) 2^-53, as an exact BigDecimal. */
    private static BigDecimal uniform(L64X128Mix rng) {
        return new BigDecimal((rng.nextLong() >>> 11) * 0x1.0p-53);
    }

    private static BigDecimal[] normalised(BigDecimal[] v) {
        BigDecimal s = BigDecimal.ZERO;
        for (BigDecimal x : v) {
            s = s.add(x, PRECISION);
        }
        final BigDecimal[] p = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            p[i] = v[i].divide(s, PRECISION);
        }
        return p;
    }
}

package org.stdpsweep.kernel;

import java.util.Arrays;

import org.apache.commons.rng.core.source64.L64X128Mix;

/**
 * Simulates the reduced chain of MODEL.md section 1, one run at a time, single-threaded.
 *
 * <p>The state is kept as {@code v}, proportional to p(k) = lambda w(k) / <lambda, w(k)>, with
 * its sum {@code s}: since the update is multiplicative, p follows the same recursion as w.
 * Each step multiplies coordinate i by {@code (1 + alpha (B_i + Z_i)) / s}, which applies the
 * previous step's renormalisation in the same pass, so {@code v} always sums to a number in
 * [1 - alpha Q, 1 + alpha (1 + Q)] and never overflows. dist is {@code 2 sum_{i>1} v_i / s},
 * from the small coordinates, so it keeps full relative precision far below 1e-16.
 *
 * <p>Random draws, in this order each iteration (the stream contract that golden tests pin):
 * one uniform double u for the trigger (I is the first i with u s < v_0 + ... + v_i); then for
 * each coordinate i = 0..d-1: if i != I and 0 < Gamma[i][I] < 1, one double u (B_i = 1 iff
 * u < Gamma[i][I]); then the noise: {@code uniform} takes one double u and Z_i = Q (2u - 1);
 * {@code rademacher} takes one long at every i divisible by 64 and Z_i = +Q iff bit (i mod 64)
 * of it is set. Doubles are Commons RNG's {@code nextDouble()}, (x >>> 11) 2^-53. With uniform
 * noise and Gamma = I the 1 + d doubles of an iteration are drawn in one go, by
 * {@link KernelRandom#fill}: the same L64X128Mix stepped in local variables, giving the same
 * doubles in the same order (it checks itself against the library when it loads).
 *
 * <p>A kernel keeps scratch buffers between runs and is reused across runs; it is not
 * thread-safe. The iteration loop allocates nothing.
 */
public final class StdpKernel {

    /** dist or p_1 below this: the run is absorbed and may stop (MODEL.md, Numerics). */
    public static final double ABSORBED = 1e-250;

    private double[] v = new double[0];
    /** The doubles of one iteration, drawn in one go (uniform noise, Gamma = I): trigger, then noise. */
    private double[] draws = new double[0];
    private double s;
    private int lastD;
    /** Written by each step: sum and max of the new v_i over i >= 1 (fields, so steps return nothing). */
    private double rest;
    private double maxRest;

    /** Runs replicate {@code replicate} of {@code params} under {@code masterSeed}. */
    public RunResult run(RunParameters params, long masterSeed, long replicate) {
        return run(params, StreamSeed.of(masterSeed, params, replicate));
    }

    /** Runs {@code params} on the stream seeded by the four words {@code seed}. */
    public RunResult run(RunParameters params, long[] seed) {
        return simulate(params, new KernelRandom(seed));
    }

    /**
     * Copies p at the end of the last run into {@code out}.
     *
     * @param out an array of length at least d
     */
    public void copyFinalP(double[] out) {
        for (int i = 0; i < lastD; i++) {
            out[i] = v[i] / s;
        }
    }

    private RunResult simulate(RunParameters prm, KernelRandom rng) {
        final int d = prm.d();
        if (v.length < d) {
            v = new double[d];
            draws = new double[d + 1];
        }
        final double[] v = this.v;
        final double[] draws = this.draws;
        lastD = d;
        double s0 = 0;
        for (int i = 0; i < d; i++) {
            v[i] = prm.lambda(i) * prm.w0(i);
            s0 += v[i];
        }
        rest = 0;
        maxRest = 0;
        for (int i = 0; i < d; i++) {
            v[i] /= s0;
            if (i > 0) {
                rest += v[i];
                maxRest = Math.max(maxRest, v[i]);
            }
        }

        final int iterations = prm.iterations();
        final double alpha = prm.alpha();
        final double q = prm.noise().q();
        final Noise.Model noise = prm.noise().model();
        final boolean identity = prm.gamma().isIdentity();
        final double[] gamma = prm.gamma().flat();
        final double halfDelta = prm.delta() / 2;

        final int[] checkpoints = prm.checkpoints();
        final int nCheckpoints = checkpoints.length;
        final double[] checkpointDist = new double[nCheckpoints];
        final double[] checkpointMargin = new double[nCheckpoints];
        final int nThresholds = prm.hitThresholdCount();
        final int[] hitTimes = new int[nThresholds];
        Arrays.fill(hitTimes, RunResult.NEVER);
        // Thresholds in decreasing order: dist <= a smaller one implies dist <= every larger one.
        // A stable insertion sort of the indices (there are a handful), no boxing.
        final int[] byThreshold = new int[nThresholds];
        final double[] thresholds = new double[nThresholds];
        for (int j = 0; j < nThresholds; j++) {
            final double t = prm.hitThreshold(j);
            int at = j;
            while (at > 0 && thresholds[at - 1] < t) {
                thresholds[at] = thresholds[at - 1];
                byThreshold[at] = byThreshold[at - 1];
                at--;
            }
            thresholds[at] = t;
            byThreshold[at] = j;
        }

        int thetaExit = RunResult.NEVER;
        int nextCheckpoint = 0;
        int nextThreshold = 0;
        StopReason stop = StopReason.HORIZON;
        double sum = v[0] + rest;
        int k = 0;
        double dist;
        double margin;
        while (true) {
            // Observe p(k).
            final double inv = 1 / sum;
            dist = 2 * rest * inv;
            margin = (v[0] - maxRest) * inv;
            if (thetaExit < 0 && margin < halfDelta) {
                thetaExit = k;
            }
            while (nextThreshold < nThresholds && dist <= thresholds[nextThreshold]) {
                hitTimes[byThreshold[nextThreshold++]] = k;
            }
            if (k == checkpoints[nextCheckpoint]) {
                checkpointDist[nextCheckpoint] = dist;
                checkpointMargin[nextCheckpoint++] = margin;
            }
            if (dist < ABSORBED) {
                stop = StopReason.ABSORBED_AT_E1;
                break;
            }
            if (v[0] * inv < ABSORBED) {
                stop = StopReason.ABSORBED_ELSEWHERE;
                break;
            }
            if (k == iterations) {
                break;
            }
            // Step to p(k+1).
            if (identity && noise == Noise.Model.UNIFORM) {
                // The iteration's 1 + d doubles in one go: draws[0] for the trigger, draws[1 + i] for Z_i.
                rng.fill(draws, d + 1);
                sum = stepUniform(draws, v, d, trigger(v, d, draws[0] * sum), inv, alpha, q);
                k++;
                continue;
            }
            final int trigger = trigger(v, d, rng.nextDouble() * sum);
            if (!identity) {
                stepCoFiring(rng, v, d, trigger, inv, alpha, noise, q, gamma);
            } else if (noise == Noise.Model.NONE) {
                sum = stepNoiseFree(v, d, trigger, inv, alpha);
                k++;
                continue;
            } else {
                stepRademacher(rng, v, d, trigger, inv, alpha, q);
            }
            sum = v[0] + rest;
            k++;
        }
        s = sum;
        // An absorbed run carries its last values to the remaining checkpoints.
        for (int j = nextCheckpoint; j < nCheckpoints; j++) {
            checkpointDist[j] = dist;
            checkpointMargin[j] = margin;
        }
        int winner = 0;
        for (int i = 1; i < d; i++) {
            if (v[i] > v[winner]) {
                winner = i;
            }
        }
        final boolean converged = winner == 0 && dist <= prm.tolerance();
        return new RunResult(converged, winner, dist, margin, thetaExit, hitTimes, stop, k,
            checkpoints, checkpointDist, checkpointMargin);
    }

    /** @return the first i with target < v_0 + ... + v_i (the last index if rounding leaves none) */
    private static int trigger(double[] v, int d, double target) {
        double acc = 0;
        final int last = d - 1;
        for (int i = 0; i < last; i++) {
            acc += v[i];
            if (target < acc) {
                return i;
            }
        }
        return last;
    }

    // Each step writes v_i <- v_i (1 + alpha (B_i + Z_i)) / s as v_i * (base_B + slope u), the
    // same expression in every path, so detecting Gamma = I changes speed and never bits.

    private double stepUniform(double[] draws, double[] v, int d, int trigger, double inv,
                             double alpha, double q) {
        final double a = alpha * inv;
        final double base0 = inv - a * q;
        final double base1 = base0 + a;
        final double slope = 2 * a * q;
        final double x0 = v[0] * ((trigger == 0 ? base1 : base0) + slope * draws[1]);
        v[0] = x0;
        double sumRest = 0;
        double max = 0;
        for (int i = 1; i < d; i++) {
            final double x = v[i] * ((i == trigger ? base1 : base0) + slope * draws[1 + i]);
            v[i] = x;
            sumRest += x;
            max = x > max ? x : max;
        }
        rest = sumRest;
        maxRest = max;
        return x0 + sumRest; // = v[0] + rest, the new sum, without a round trip through memory
    }

    private double stepNoiseFree(double[] v, int d, int trigger, double inv, double alpha) {
        final double base1 = inv + alpha * inv;
        final double x0 = v[0] * (trigger == 0 ? base1 : inv);
        v[0] = x0;
        double sumRest = 0;
        double max = 0;
        for (int i = 1; i < d; i++) {
            final double x = v[i] * (i == trigger ? base1 : inv);
            v[i] = x;
            sumRest += x;
            max = x > max ? x : max;
        }
        rest = sumRest;
        maxRest = max;
        return x0 + sumRest; // = v[0] + rest, the new sum, without a round trip through memory
    }

    private void stepRademacher(L64X128Mix rng, double[] v, int d, int trigger, double inv,
                                double alpha, double q) {
        final double a = alpha * inv;
        final double minus0 = inv - a * q;
        final double plus0 = inv + a * q;
        final double minus1 = minus0 + a;
        final double plus1 = plus0 + a;
        long word = 0;
        double sumRest = 0;
        double max = 0;
        for (int i = 0; i < d; i++) {
            if ((i & 63) == 0) {
                word = rng.nextLong();
            }
            final boolean plus = ((word >>> (i & 63)) & 1) != 0;
            final double m = i == trigger ? (plus ? plus1 : minus1) : (plus ? plus0 : minus0);
            final double x = v[i] * m;
            v[i] = x;
            if (i > 0) {
                sumRest += x;
                max = x > max ? x : max;
            }
        }
        rest = sumRest;
        maxRest = max;
    }

    private void stepCoFiring(L64X128Mix rng, double[] v, int d, int trigger, double inv,
                              double alpha, Noise.Model noise, double q, double[] gamma) {
        final double a = alpha * inv;
        // The same constants as the Gamma = I steps: base0/base1 for B_i = 0/1 (uniform, none),
        // and the four Rademacher factors.
        final double base0 = noise == Noise.Model.UNIFORM ? inv - a * q : inv;
        final double base1 = base0 + a;
        final double slope = 2 * a * q;
        final double minus0 = inv - a * q;
        final double plus0 = inv + a * q;
        final double minus1 = minus0 + a;
        final double plus1 = plus0 + a;
        final int row = trigger * d; // Gamma[i][I] = Gamma[I][i]: symmetric
        long word = 0;
        double sumRest = 0;
        double max = 0;
        for (int i = 0; i < d; i++) {
            final boolean fired;
            if (i == trigger) {
                fired = true;
            } else {
                final double g = gamma[row + i];
                fired = g == 1 || (g > 0 && rng.nextDouble() < g);
            }
            final double m;
            if (noise == Noise.Model.UNIFORM) {
                m = (fired ? base1 : base0) + slope * rng.nextDouble();
            } else if (noise == Noise.Model.RADEMACHER) {
                if ((i & 63) == 0) {
                    word = rng.nextLong();
                }
                final boolean plus = ((word >>> (i & 63)) & 1) != 0;
                m = fired ? (plus ? plus1 : minus1) : (plus ? plus0 : minus0);
            } else {
                m = fired ? base1 : base0;
            }
            final double x = v[i] * m;
            v[i] = x;
            if (i > 0) {
                sumRest += x;
                max = x > max ? x : max;
            }
        }
        rest = sumRest;
        maxRest = max;
    }
}

package org.stdpsweep.kernel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Everything that defines one run of the reduced chain (MODEL.md section 1), validated at
 * construction. Either {@code delta} gives the canonical initial condition
 * ({@code w(0) = 1/d}, {@code lambda = (1 + (d-1) Delta, 1 - Delta, ...)}), or {@code lambda} and
 * {@code w(0)} are explicit and Delta is derived as {@code p_1(0) - max_{i>1} p_i(0)}.
 * Immutable; build with {@link #builder()}.
 */
public final class RunParameters {

    /** Default convergence tolerance on dist(K). */
    public static final double DEFAULT_TOLERANCE = 1e-6;
    /** Default number of checkpoints. */
    public static final int DEFAULT_CHECKPOINTS = 40;

    private final double alpha;
    private final int d;
    private final double delta;
    private final boolean canonical;
    private final double[] lambda;
    private final double[] w0;
    private final double[] p0;
    private final CoFiring gamma;
    private final Noise noise;
    private final int iterations;
    private final int[] checkpoints;
    private final double[] hitThresholds;
    private final double tolerance;
    private final int requestedCheckpoints;
    /** SHA-256 of the parameters that define the chain's law: the cell half of a run's seed. */
    private final byte[] cellDigest;

    private RunParameters(Builder b) {
        this.alpha = Invalid.finitePositive("alpha", b.alpha);
        if (b.lambda == null && b.w0 == null) {
            if (b.d < 2) {
                throw Invalid.parameter("d", b.d, "an integer >= 2");
            }
            if (!(b.delta > 0 && b.delta < 1)) {
                throw Invalid.parameter("delta", b.delta, "a number in the open interval (0, 1)");
            }
            this.d = b.d;
            this.delta = b.delta;
            this.canonical = true;
            this.lambda = new double[d];
            this.w0 = new double[d];
            Arrays.fill(lambda, 1 - delta);
            lambda[0] = 1 + (d - 1) * delta;
            Arrays.fill(w0, 1.0 / d);
        } else {
            if (!Double.isNaN(b.delta)) {
                throw Invalid.parameter("delta", b.delta,
                    "absent when lambda and w0 are given (Delta is then derived from them)");
            }
            if (b.lambda == null || b.w0 == null) {
                throw Invalid.parameter(b.lambda == null ? "lambda" : "w0", "missing",
                    "lambda and w0 given together (or neither, with delta)");
            }
            this.lambda = positiveVector("lambda", b.lambda);
            this.w0 = positiveVector("w0", b.w0);
            if (lambda.length < 2) {
                throw Invalid.parameter("d", lambda.length, "an integer >= 2 (the length of lambda)");
            }
            if (w0.length != lambda.length) {
                throw Invalid.parameter("w0 length", w0.length, "the length of lambda, " + lambda.length);
            }
            if (b.d != 0 && b.d != lambda.length) {
                throw Invalid.parameter("d", b.d, "the length of lambda, " + lambda.length);
            }
            this.d = lambda.length;
            this.canonical = false;
            final double[] p = initialP(lambda, w0);
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 1; i < d; i++) {
                max = Math.max(max, p[i]);
            }
            // May be <= 0 (input 1 not the most active): the chain is still defined, the drift
            // tests start it at arbitrary p; with Delta < 0, Theta_K fails at k = 0 (m(0) = Delta < Delta/2).
            this.delta = p[0] - max;
        }
        this.p0 = initialP(lambda, w0);
        this.gamma = b.gamma == null ? CoFiring.independent(d) : b.gamma;
        if (gamma.dimension() != d) {
            throw Invalid.parameter("gamma dimension", gamma.dimension() + " x " + gamma.dimension(),
                "d x d with d = " + d);
        }
        this.noise = b.noise == null ? Noise.none() : b.noise;
        if (!(alpha * noise.q() < 1)) {
            throw Invalid.parameter("alpha*Q", alpha * noise.q(),
                "a number < 1 so every factor 1 + alpha (B + Z) stays positive (alpha = " + alpha
                    + ", Q = " + noise.q() + ")");
        }
        if (b.iterations < 1) {
            throw Invalid.parameter("iterations", b.iterations, "an integer >= 1 (the horizon K)");
        }
        this.iterations = b.iterations;
        this.checkpoints = Checkpoints.logSpaced(iterations, b.checkpointCount);
        this.requestedCheckpoints = b.checkpointCount;
        this.hitThresholds = b.hitThresholds.clone();
        for (int i = 0; i < hitThresholds.length; i++) {
            if (!(hitThresholds[i] > 0) || !Double.isFinite(hitThresholds[i])) {
                throw Invalid.parameter("hit-thresholds[" + i + "]", hitThresholds[i], "a finite number > 0");
            }
        }
        this.tolerance = Invalid.finitePositive("tolerance", b.tolerance);
        this.cellDigest = sha256(streamKey());
    }

    private static double[] positiveVector(String name, double[] v) {
        final double[] c = v.clone();
        for (int i = 0; i < c.length; i++) {
            if (!(c[i] > 0) || !Double.isFinite(c[i])) {
                throw Invalid.parameter(name + "[" + i + "]", c[i], "a finite number > 0");
            }
        }
        return c;
    }

    private static double[] initialP(double[] lambda, double[] w0) {
        final double[] p = new double[lambda.length];
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = lambda[i] * w0[i];
            s += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= s;
        }
        return p;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * The exact description of the chain's law: d, alpha, the initial condition, Gamma and the
     * noise, doubles as raw bits. The horizon, checkpoints, thresholds and tolerance are left
     * out on purpose: they do not change the random path, so a longer horizon extends the same
     * runs instead of replacing them.
     */
    String streamKey() {
        final StringBuilder sb = new StringBuilder("stdp-reduced-chain/v1;d=").append(d)
            .append(";alpha=").append(bits(alpha));
        if (canonical) {
            sb.append(";delta=").append(bits(delta));
        } else {
            sb.append(";lambda=");
            for (double x : lambda) {
                sb.append(bits(x)).append(',');
            }
            sb.append(";w0=");
            for (double x : w0) {
                sb.append(bits(x)).append(',');
            }
        }
        return sb.append(";gamma=").append(gamma.streamKey()).append(";noise=").append(noise.streamKey()).toString();
    }

    private static String bits(double x) {
        return Long.toHexString(Double.doubleToLongBits(x));
    }

    byte[] cellDigest() {
        return cellDigest;
    }

    /**
     * @return the cell's identity in output: {@code c} and the first 8 bytes of the digest that
     *     seeds its runs as 16 lower-case hex digits. A function of the chain's law only (see
     *     {@link #streamKey()}). The letter keeps Parquet readers that infer hive partition types
     *     from reading an all-digit id as a number.
     */
    public String cellId() {
        final StringBuilder sb = new StringBuilder(17).append('c');
        for (int i = 0; i < 8; i++) {
            sb.append(Character.forDigit((cellDigest[i] >> 4) & 0xf, 16)).append(Character.forDigit(cellDigest[i] & 0xf, 16));
        }
        return sb.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder preset to these parameters */
    public Builder toBuilder() {
        final Builder b = new Builder().alpha(alpha).gamma(gamma).noise(noise).iterations(iterations)
            .checkpoints(requestedCheckpoints).hitThresholds(hitThresholds).tolerance(tolerance);
        return canonical ? b.d(d).delta(delta) : b.lambda(lambda).w0(w0);
    }

    public double alpha() {
        return alpha;
    }

    public int d() {
        return d;
    }

    /** @return the gap Delta: given, or derived from lambda and w(0) */
    public double delta() {
        return delta;
    }

    /** @return true when the initial condition was built from Delta */
    public boolean isCanonical() {
        return canonical;
    }

    public double[] lambda() {
        return lambda.clone();
    }

    public double[] w0() {
        return w0.clone();
    }

    /** @return p(0) = lambda * w(0) / <lambda, w(0)> */
    public double[] p0() {
        return p0.clone();
    }

    double lambda(int i) {
        return lambda[i];
    }

    double w0(int i) {
        return w0[i];
    }

    public CoFiring gamma() {
        return gamma;
    }

    public Noise noise() {
        return noise;
    }

    /** @return the horizon K */
    public int iterations() {
        return iterations;
    }

    /** @return the checkpoint iterations: strictly increasing, first 0, last K */
    public int[] checkpoints() {
        return checkpoints.clone();
    }

    int checkpointCount() {
        return checkpoints.length;
    }

    int checkpoint(int j) {
        return checkpoints[j];
    }

    public double[] hitThresholds() {
        return hitThresholds.clone();
    }

    int hitThresholdCount() {
        return hitThresholds.length;
    }

    double hitThreshold(int j) {
        return hitThresholds[j];
    }

    public double tolerance() {
        return tolerance;
    }

    /** @return the theorem's rate alpha Delta^2 / (16 d) */
    public double theoremRate() {
        return alpha * delta * delta / (16.0 * d);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private double alpha = Double.NaN;
        private int d;
        private double delta = Double.NaN;
        private double[] lambda;
        private double[] w0;
        private CoFiring gamma;
        private Noise noise;
        private int iterations;
        private int checkpointCount = DEFAULT_CHECKPOINTS;
        private double[] hitThresholds = {1e-3};
        private double tolerance = DEFAULT_TOLERANCE;

        private Builder() {
        }

        public Builder alpha(double v) {
            alpha = v;
            return this;
        }

        public Builder d(int v) {
            d = v;
            return this;
        }

        public Builder delta(double v) {
            delta = v;
            return this;
        }

        /** Explicit intensities; give {@link #w0(double[])} too, and no delta. */
        public Builder lambda(double... v) {
            lambda = v == null ? null : v.clone();
            return this;
        }

        /** Explicit initial weights; give {@link #lambda(double[])} too, and no delta. */
        public Builder w0(double... v) {
            w0 = v == null ? null : v.clone();
            return this;
        }

        public Builder gamma(CoFiring v) {
            gamma = v;
            return this;
        }

        public Builder noise(Noise v) {
            noise = v;
            return this;
        }

        /** @param v the horizon K */
        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        public Builder checkpoints(int v) {
            checkpointCount = v;
            return this;
        }

        public Builder hitThresholds(double... v) {
            if (v == null) {
                throw Invalid.parameter("hit-thresholds", "null", "a list of numbers > 0 (may be empty)");
            }
            hitThresholds = v.clone();
            return this;
        }

        public Builder tolerance(double v) {
            tolerance = v;
            return this;
        }

        public RunParameters build() {
            return new RunParameters(this);
        }
    }
}

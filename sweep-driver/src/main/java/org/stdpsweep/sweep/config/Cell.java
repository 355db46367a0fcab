package org.stdpsweep.sweep.config;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.stdpsweep.kernel.CoFiring;
import org.stdpsweep.kernel.Noise;
import org.stdpsweep.kernel.RunParameters;

/**
 * One point of a sweep grid: (d, Gamma, noise, Delta, alpha) plus the sweep-wide horizon,
 * checkpoints, hit thresholds and tolerance. Immutable and {@link Serializable} (only
 * primitives, strings and a {@code double[]} that is never exposed), so Spark can ship it;
 * {@link #params()} rebuilds the kernel's {@link RunParameters} on demand.
 *
 * <p>Instances come from {@link SweepSpec#cells()}, which has already validated every value,
 * so {@link #params()} does not throw for them.
 */
public final class Cell implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double alpha;
    private final double delta;
    private final int d;
    private final String gamma;
    private final double rho;
    private final int blockSize;
    private final String noise;
    private final double q;
    private final int iterations;
    private final int checkpoints;
    private final double[] hitThresholds;
    private final double tolerance;
    private final String gammaSpec;
    private final String noiseSpec;
    /** Computed once, on the driver, so that executors never rebuild Gamma just to name a cell. */
    private final String cellId;

    Cell(double alpha, double delta, int d, CoFiring.Structure gamma, double rho, int blockSize,
         Noise.Model noise, double q, int iterations, int checkpoints, double[] hitThresholds,
         double tolerance) {
        this.alpha = alpha;
        this.delta = delta;
        this.d = d;
        this.gamma = gamma.label();
        this.rho = gamma == CoFiring.Structure.INDEPENDENT ? 0 : rho;
        this.blockSize = gamma == CoFiring.Structure.BLOCK ? blockSize : 0;
        this.noise = noise.label();
        this.q = noise == Noise.Model.NONE ? 0 : q;
        this.iterations = iterations;
        this.checkpoints = checkpoints;
        this.hitThresholds = hitThresholds.clone();
        this.tolerance = tolerance;
        this.gammaSpec = gammaSpec(gamma, this.rho, this.blockSize);
        this.noiseSpec = noise == Noise.Model.NONE ? "none" : this.noise + ":" + this.q;
        this.cellId = params().cellId();
    }

    /** The canonical sweep-file spelling of a co-firing structure (as CoFiring.label() writes it). */
    static String gammaSpec(CoFiring.Structure s, double rho, int blockSize) {
        switch (s) {
            case INDEPENDENT: return "independent";
            case BLOCK: return "block:" + blockSize + ":" + rho;
            default: return s.label() + ":" + rho;
        }
    }

    /**
     * @return the kernel's parameters for this cell, built afresh on every call (Gamma is a
     *     dense d x d matrix, so callers that need it repeatedly should keep the result)
     */
    public RunParameters params() {
        return RunParameters.builder()
            .alpha(alpha)
            .d(d)
            .delta(delta)
            .gamma(coFiring())
            .noise(Noise.of(Noise.Model.valueOf(noise.toUpperCase(Locale.ROOT)), q))
            .iterations(iterations)
            .checkpoints(checkpoints)
            .hitThresholds(hitThresholds)
            .tolerance(tolerance)
            .build();
    }

    private CoFiring coFiring() {
        switch (CoFiring.Structure.valueOf(gamma.toUpperCase(Locale.ROOT))) {
            case INDEPENDENT: return CoFiring.independent(d);
            case EQUICORRELATED: return CoFiring.equicorrelated(d, rho);
            case AR1: return CoFiring.ar1(d, rho);
            case BLOCK: return CoFiring.block(d, blockSize, rho);
            default: throw new AssertionError(gamma);
        }
    }

    /** @return {@code params().cellId()}, computed once: a function of the chain's law only */
    public String cellId() {
        return cellId;
    }

    public double alpha() {
        return alpha;
    }

    /** @return the initial gap Delta */
    public double delta() {
        return delta;
    }

    public int d() {
        return d;
    }

    /** @return the co-firing structure: {@code independent}, {@code equicorrelated}, {@code ar1} or {@code block} */
    public String gamma() {
        return gamma;
    }

    /** @return the structure's rho; 0 for {@code independent} */
    public double rho() {
        return rho;
    }

    /** @return inputs per block for {@code block}, else 0 */
    public int blockSize() {
        return blockSize;
    }

    /** @return the noise law: {@code none}, {@code uniform} or {@code rademacher} */
    public String noise() {
        return noise;
    }

    /** @return the noise bound Q; 0 for {@code none} */
    public double q() {
        return q;
    }

    /**
     * @return the canonical sweep-file spelling of Gamma, e.g. {@code independent},
     *     {@code equicorrelated:0.3}, {@code ar1:0.6}, {@code block:5:0.4} (numbers as Java
     *     prints doubles, so {@code ar1:.6} in a file reads back as {@code ar1:0.6})
     */
    public String gammaSpec() {
        return gammaSpec;
    }

    /** @return the canonical sweep-file spelling of the noise: {@code none}, {@code uniform:1.0}, ... */
    public String noiseSpec() {
        return noiseSpec;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cell)) {
            return false;
        }
        final Cell c = (Cell) o;
        return cellId.equals(c.cellId) && iterations == c.iterations && checkpoints == c.checkpoints
            && Double.compare(tolerance, c.tolerance) == 0 && Arrays.equals(hitThresholds, c.hitThresholds)
            && Double.compare(alpha, c.alpha) == 0 && Double.compare(delta, c.delta) == 0 && d == c.d
            && gammaSpec.equals(c.gammaSpec) && noiseSpec.equals(c.noiseSpec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cellId, iterations);
    }

    @Override
    public String toString() {
        return "Cell{" + cellId + ": d=" + d + ", gamma=" + gammaSpec + ", noise=" + noiseSpec
            + ", delta=" + delta + ", alpha=" + alpha + "}";
    }
}

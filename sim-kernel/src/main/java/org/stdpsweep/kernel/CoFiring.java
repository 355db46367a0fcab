package org.stdpsweep.kernel;

import java.util.Arrays;
import java.util.Locale;

/**
 * The co-firing matrix Gamma of MODEL.md: symmetric, unit diagonal, entries in [0, 1].
 * {@code Gamma[j][i]} is the probability that input j fires together with the trigger i.
 * Instances are immutable; the structured factories keep their name and parameter so that
 * output can say {@code equicorrelated} with {@code rho = 0.3} rather than a matrix.
 */
public final class CoFiring {

    /** How the matrix was built; the lower-case name is what output and sweep files use. */
    public enum Structure {
        INDEPENDENT, EQUICORRELATED, AR1, BLOCK, EXPLICIT;

        /** @return the name used in sweep files and output columns, e.g. {@code ar1} */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Structure structure;
    private final double rho;
    private final int blockSize;
    private final int d;
    /** Row-major d x d; symmetric, so row i is also column i. */
    private final double[] flat;
    private final boolean identity;

    private CoFiring(Structure structure, double rho, int blockSize, int d, double[] flat) {
        this.structure = structure;
        this.rho = rho;
        this.blockSize = blockSize;
        this.d = d;
        this.flat = flat;
        boolean id = true;
        for (int i = 0; i < d && id; i++) {
            for (int j = 0; j < d; j++) {
                if (i != j && flat[i * d + j] != 0) {
                    id = false;
                    break;
                }
            }
        }
        this.identity = id;
    }

    /** @return Gamma = I: inputs fire independently, so B = e_I. */
    public static CoFiring independent(int d) {
        checkDimension(d);
        return build(Structure.INDEPENDENT, 0, 0, d);
    }

    /** @return Gamma = (1 - rho) I + rho 11'. */
    public static CoFiring equicorrelated(int d, double rho) {
        checkDimension(d);
        Invalid.unitInterval("rho", rho);
        return build(Structure.EQUICORRELATED, rho, 0, d);
    }

    /** @return Gamma_ij = rho^|i-j|. */
    public static CoFiring ar1(int d, double rho) {
        checkDimension(d);
        Invalid.unitInterval("rho", rho);
        return build(Structure.AR1, rho, 0, d);
    }

    /**
     * @param size inputs per block: inputs i and j share a block when {@code i / size == j / size}
     * @return Gamma_ij = rho within a block (i != j), 0 across blocks
     */
    public static CoFiring block(int d, int size, double rho) {
        checkDimension(d);
        if (size < 1) {
            throw Invalid.parameter("block size", size, "an integer >= 1");
        }
        Invalid.unitInterval("rho", rho);
        return build(Structure.BLOCK, rho, size, d);
    }

    /**
     * @param matrix a symmetric d x d matrix with unit diagonal and entries in [0, 1]; copied
     * @return that matrix as a co-firing structure
     */
    public static CoFiring explicit(double[][] matrix) {
        if (matrix == null || matrix.length < 2) {
            throw Invalid.parameter("gamma", matrix == null ? "null" : matrix.length + " rows",
                "a d x d matrix with d >= 2");
        }
        final int d = matrix.length;
        final double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            if (matrix[i] == null || matrix[i].length != d) {
                throw Invalid.parameter("gamma row " + i + " length",
                    matrix[i] == null ? "null" : matrix[i].length, "d = " + d + " (a d x d matrix)");
            }
            for (int j = 0; j < d; j++) {
                final double g = matrix[i][j];
                final String at = "gamma[" + i + "][" + j + "]";
                if (i == j && g != 1) {
                    throw Invalid.parameter(at, g, "1 (the diagonal of gamma is 1)");
                }
                if (!(g >= 0 && g <= 1)) {
                    throw Invalid.parameter(at, g, "a number in [0, 1]");
                }
                flat[i * d + j] = g;
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                if (flat[i * d + j] != flat[j * d + i]) {
                    throw Invalid.parameter("gamma[" + i + "][" + j + "]", flat[i * d + j],
                        "the value of gamma[" + j + "][" + i + "] = " + flat[j * d + i] + " (gamma is symmetric)");
                }
            }
        }
        return new CoFiring(Structure.EXPLICIT, Double.NaN, 0, d, flat);
    }

    private static void checkDimension(int d) {
        if (d < 2) {
            throw Invalid.parameter("d", d, "an integer >= 2");
        }
    }

    private static CoFiring build(Structure s, double rho, int size, int d) {
        final double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                final double g;
                if (i == j) {
                    g = 1;
                } else {
                    switch (s) {
                        case INDEPENDENT: g = 0; break;
                        case EQUICORRELATED: g = rho; break;
                        case AR1: g = Math.pow(rho, Math.abs(i - j)); break;
                        case BLOCK: g = i / size == j / size ? rho : 0; break;
                        default: throw new AssertionError(s);
                    }
                }
                flat[i * d + j] = g;
            }
        }
        return new CoFiring(s, rho, size, d, flat);
    }

    public Structure structure() {
        return structure;
    }

    /** @return the structure's parameter rho; 0 for independent, NaN for an explicit matrix */
    public double rho() {
        return rho;
    }

    /** @return inputs per block for {@link Structure#BLOCK}, else 0 */
    public int blockSize() {
        return blockSize;
    }

    public int dimension() {
        return d;
    }

    /** @return true when every off-diagonal entry is 0, whatever the structure's name */
    public boolean isIdentity() {
        return identity;
    }

    public double get(int i, int j) {
        return flat[i * d + j];
    }

    /** The backing row-major array, for the kernel's hot loop only: never modified. */
    double[] flat() {
        return flat;
    }

    /**
     * @return the sweep-file spelling: {@code independent}, {@code equicorrelated:0.3},
     *     {@code ar1:0.6}, {@code block:5:0.4} or {@code explicit}
     */
    public String label() {
        switch (structure) {
            case INDEPENDENT: return "independent";
            case BLOCK: return "block:" + blockSize + ":" + rho;
            case EXPLICIT: return "explicit";
            default: return structure.label() + ":" + rho;
        }
    }

    /** Canonical, exact description for stream seeding: doubles as raw bits, so no rounding. */
    String streamKey() {
        switch (structure) {
            case INDEPENDENT: return "independent";
            case BLOCK: return "block:" + blockSize + ":" + Long.toHexString(Double.doubleToLongBits(rho));
            case EXPLICIT: {
                final StringBuilder sb = new StringBuilder("explicit:");
                for (double g : flat) {
                    sb.append(Long.toHexString(Double.doubleToLongBits(g))).append(',');
                }
                return sb.toString();
            }
            default: return structure.label() + ":" + Long.toHexString(Double.doubleToLongBits(rho));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoFiring && Arrays.equals(flat, ((CoFiring) o).flat)
            && structure == ((CoFiring) o).structure;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(flat);
    }

    @Override
    public String toString() {
        return label();
    }
}

package org.stdpsweep.kernel;

import java.util.Locale;

/** The centred noise Z(k) of MODEL.md, bounded by |Z_i| <= Q. Immutable. */
public final class Noise {

    /** The noise law; the lower-case name is what sweep files and output use. */
    public enum Model {
        /** Z = 0. */
        NONE,
        /** Each Z_i is +Q or -Q with probability 1/2. */
        RADEMACHER,
        /** Each Z_i ~ U[-Q, Q). */
        UNIFORM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Noise NONE = new Noise(Model.NONE, 0);

    private final Model model;
    private final double q;

    private Noise(Model model, double q) {
        this.model = model;
        this.q = q;
    }

    /** @return the noise-free chain, Q = 0 */
    public static Noise none() {
        return NONE;
    }

    /** @return Rademacher noise of bound q */
    public static Noise rademacher(double q) {
        return of(Model.RADEMACHER, q);
    }

    /** @return uniform noise on [-q, q) */
    public static Noise uniform(double q) {
        return of(Model.UNIFORM, q);
    }

    /**
     * @param model the law
     * @param q     the bound Q: finite and >= 0 (any value is ignored for {@link Model#NONE})
     */
    public static Noise of(Model model, double q) {
        if (model == null) {
            throw Invalid.parameter("noise", "null", "one of none, rademacher, uniform");
        }
        if (model == Model.NONE) {
            return NONE;
        }
        if (!(q >= 0) || !Double.isFinite(q)) {
            throw Invalid.parameter("Q", q, "a finite number >= 0 (the noise bound |Z_i| <= Q)");
        }
        return new Noise(model, q);
    }

    public Model model() {
        return model;
    }

    /** @return the bound Q; 0 for {@link Model#NONE} */
    public double q() {
        return q;
    }

    /** @return the sweep-file spelling: {@code none}, {@code uniform:1.0}, {@code rademacher:0.5} */
    public String label() {
        return model == Model.NONE ? "none" : model.label() + ":" + q;
    }

    String streamKey() {
        return model == Model.NONE ? "none" : model.label() + ":" + Long.toHexString(Double.doubleToLongBits(q));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Noise && ((Noise) o).model == model
            && Double.doubleToLongBits(((Noise) o).q) == Double.doubleToLongBits(q);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + Double.hashCode(q);
    }

    @Override
    public String toString() {
        return label();
    }
}

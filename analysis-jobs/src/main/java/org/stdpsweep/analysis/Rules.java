package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;

/** The numerical rules of docs/analysis.md, in one place. */
final class Rules {
    private Rules() {
    }

    /** The rate fit uses only checkpoints whose mean dist * 1_{Theta_K} is above this. */
    static final double FIT_FLOOR = 1e-200;
    /**
     * The envelope is checked only where it is at least this: below it, runs that stopped
     * absorbed (dist frozen below 1e-250) make the estimate meaningless relative to the envelope.
     */
    static final double ENVELOPE_FLOOR = 1e-200;
    /** A checkpoint violates the envelope when the estimate exceeds it by more than this many SEs. */
    static final double SE_MULTIPLE = 3.0;
    /** ... and by more than this fraction of the envelope (floating-point slack, e.g. at k = 0). */
    static final double RELATIVE_SLACK = 1e-9;
    /** A fitted slope needs at least this many points (so that its SE has n - 2 >= 1 df). */
    static final int MIN_FIT_POINTS = 3;
    /** p_converge below this counts as "not converging" for the threshold crossing. */
    static final double HALF = 0.5;

    /** The identity and parameters of a cell, in output order. */
    static final String[] CELL_KEY = {"cell_id", "d"};
    static final String[] PARAMS = {"alpha", "delta", "gamma", "rho", "block_size", "noise", "q", "iterations"};

    /** @return the theorem's rate alpha Delta^2 / (16 d), from the cell's columns */
    static Column rateTheory() {
        return col("alpha").multiply(col("delta")).multiply(col("delta"))
            .divide(lit(16.0).multiply(col("d").cast("double")));
    }

    static Column[] cols(String... names) {
        final Column[] out = new Column[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = col(names[i]);
        }
        return out;
    }

    static String[] concat(String[]... parts) {
        int n = 0;
        for (String[] p : parts) {
            n += p.length;
        }
        final String[] out = new String[n];
        int i = 0;
        for (String[] p : parts) {
            for (String s : p) {
                out[i++] = s;
            }
        }
        return out;
    }
}

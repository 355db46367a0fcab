package org.stdpsweep.analysis;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas of the tables a sweep writes (docs/output-schema.md): the sweep driver's output
 * and the analysis jobs' input, defined once here for both.
 */
public final class SweepTables {
    private SweepTables() {
    }

    /** @return the columns that identify a cell and state its parameters, shared by runs and cells */
    private static StructType cellColumns() {
        return new StructType()
            .add("cell_id", DataTypes.StringType, false)
            .add("d", DataTypes.IntegerType, false)
            .add("alpha", DataTypes.DoubleType, false)
            .add("delta", DataTypes.DoubleType, false)
            .add("gamma", DataTypes.StringType, false)
            .add("rho", DataTypes.DoubleType, false)
            .add("block_size", DataTypes.IntegerType, false)
            .add("noise", DataTypes.StringType, false)
            .add("q", DataTypes.DoubleType, false)
            .add("iterations", DataTypes.IntegerType, false);
    }

    /** {@code DIR/runs}: one row per (cell, replicate). */
    public static final StructType RUNS = cellColumns()
        .add("replicate", DataTypes.LongType, false)
        .add("seed", DataTypes.StringType, false)
        .add("converged", DataTypes.BooleanType, false)
        .add("winner", DataTypes.IntegerType, false)
        .add("final_dist", DataTypes.DoubleType, false)
        .add("final_margin", DataTypes.DoubleType, false)
        .add("theta_exit", DataTypes.IntegerType, true)
        .add("hit_thresholds", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("hit_times", DataTypes.createArrayType(DataTypes.IntegerType, true), false)
        .add("hit_time_1e3", DataTypes.IntegerType, true)
        .add("stop_reason", DataTypes.StringType, false)
        .add("iterations_run", DataTypes.IntegerType, false);

    /** {@code DIR/checkpoints}: one row per (cell, replicate, checkpoint k). */
    public static final StructType CHECKPOINTS = new StructType()
        .add("cell_id", DataTypes.StringType, false)
        .add("d", DataTypes.IntegerType, false)
        .add("replicate", DataTypes.LongType, false)
        .add("k", DataTypes.IntegerType, false)
        .add("dist", DataTypes.DoubleType, false)
        .add("margin", DataTypes.DoubleType, false);

    /** {@code DIR/cells}: one row per cell, with its mean-field curve. */
    public static final StructType CELLS = cellColumns()
        .add("tolerance", DataTypes.DoubleType, false)
        .add("replicates", DataTypes.LongType, false)
        .add("rate_theory", DataTypes.DoubleType, false)
        .add("p1_0", DataTypes.DoubleType, false)
        .add("mf_k", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
        .add("mf_dist", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("mf_margin", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
}

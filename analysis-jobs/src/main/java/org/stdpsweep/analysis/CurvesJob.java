package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** DIR/curves: one row per (cell, checkpoint k). Column meanings are in docs/analysis.md. */
final class CurvesJob {
    private CurvesJob() {
    }

    private static final String[] CELL = Rules.CELL_KEY;
    private static final String[] RUN = {"cell_id", "d", "replicate"};
    private static final String[] POINT = {"cell_id", "d", "k"};

    /** Output columns, in order. */
    static final String[] COLUMNS = {
        "cell_id", "d", "alpha", "delta", "gamma", "rho", "block_size", "noise", "q", "iterations",
        "k", "runs", "theta_k_runs", "p_theta_k", "p_theta_k_lo", "p_theta_k_hi",
        "mean_dist_theta", "mean_dist_theta_se", "rate_theory", "envelope", "envelope_ratio",
        "excess_z", "bound_checked", "exceeds",
        "mean_dist", "mean_margin", "mf_dist", "mf_margin", "dist_q10", "dist_q50", "dist_q90"};

    /**
     * @param in    the inputs
     * @param stats {@link RunStats#of} over {@code in.runs} (for the cell parameters)
     */
    static Dataset<Row> compute(Inputs in, Dataset<Row> stats) {
        final Dataset<Row> perK = perCheckpoint(in);
        final Dataset<Row> params = stats.select(Rules.cols(Rules.concat(Rules.CELL_KEY, Rules.PARAMS)));
        final Dataset<Row> start = in.cells.select(col("cell_id"), col("d"), col("p1_0"));
        return perK
            .join(params, CELL, "left")
            .join(start, CELL, "left")
            .join(meanField(in.cells), POINT, "left")
            .withColumn("p_theta_k", col("theta_k_runs").cast("double").divide(col("runs").cast("double")))
            .withColumn("p_theta_k_lo", Wilson.lower(col("theta_k_runs"), col("runs")))
            .withColumn("p_theta_k_hi", Wilson.upper(col("theta_k_runs"), col("runs")))
            .withColumn("mean_dist_theta_se", col("sd_dist_theta").divide(sqrt(col("runs").cast("double"))))
            .withColumn("rate_theory", Rules.rateTheory())
            .withColumn("envelope", envelope())
            .withColumn("bound_checked", coalesce(
                col("envelope").geq(lit(Rules.ENVELOPE_FLOOR)).and(col("mean_dist_theta_se").isNotNull()), lit(false)))
            .withColumn("envelope_ratio", when(col("envelope").geq(lit(Rules.ENVELOPE_FLOOR)),
                col("mean_dist_theta").divide(col("envelope"))))
            .withColumn("excess_z", when(col("bound_checked").and(col("mean_dist_theta_se").gt(0)),
                col("mean_dist_theta").minus(col("envelope")).divide(col("mean_dist_theta_se"))))
            .withColumn("exceeds", when(col("bound_checked"), col("mean_dist_theta").gt(col("envelope")
                .plus(lit(Rules.SE_MULTIPLE).multiply(col("mean_dist_theta_se")))
                .plus(lit(Rules.RELATIVE_SLACK).multiply(col("envelope"))))))
            .withColumn("dist_q10", element_at(col("dist_q"), 1))
            .withColumn("dist_q50", element_at(col("dist_q"), 2))
            .withColumn("dist_q90", element_at(col("dist_q"), 3))
            .select(Rules.cols(COLUMNS));
    }

    /** The checkpoints joined to their run's theta_exit, aggregated per (cell, k). */
    static Dataset<Row> perCheckpoint(Inputs in) {
        final Dataset<Row> exits = in.runs.select(col("cell_id"), col("d"), col("replicate"), col("theta_exit"));
        final Column inThetaK = col("theta_exit").isNull().or(col("theta_exit").gt(col("k")));
        final Column distTheta = when(col("theta_exit").isNull(), col("dist")).otherwise(lit(0.0));
        return in.checkpoints
            .join(exits, RUN, "inner")
            .withColumn("in_theta_k", inThetaK)
            .withColumn("dist_theta", distTheta)
            .groupBy(Rules.cols("cell_id", "d", "k"))
            .agg(
                count(lit(1)).as("runs"),
                sum(when(col("in_theta_k"), lit(1L)).otherwise(lit(0L))).as("theta_k_runs"),
                avg(col("dist_theta")).as("mean_dist_theta"),
                stddev_samp(col("dist_theta")).as("sd_dist_theta"),
                avg(col("dist")).as("mean_dist"),
                avg(col("margin")).as("mean_margin"),
                percentile(col("dist"), array(lit(0.1), lit(0.5), lit(0.9))).as("dist_q"));
    }

    /** The cells' mean-field arrays as rows (cell_id, d, k, mf_dist, mf_margin). */
    static Dataset<Row> meanField(Dataset<Row> cells) {
        return cells
            .select(col("cell_id"), col("d"), col("mf_dist"), col("mf_margin"),
                posexplode(col("mf_k")).as(new String[] {"mf_pos", "k"}))
            .select(col("cell_id"), col("d"), col("k"),
                try_element_at(col("mf_dist"), col("mf_pos").plus(1)).as("mf_dist"),
                try_element_at(col("mf_margin"), col("mf_pos").plus(1)).as("mf_margin"));
    }

    /** 2 (1 - p_1(0)) exp(-alpha Delta^2 k / (16 d)). */
    static Column envelope() {
        return lit(2.0).multiply(lit(1.0).minus(col("p1_0")))
            .multiply(exp(functions.negate(col("rate_theory")).multiply(col("k").cast("double"))));
    }
}

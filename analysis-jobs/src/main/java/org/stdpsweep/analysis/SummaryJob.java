package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regr_count;
import static org.apache.spark.sql.functions.regr_r2;
import static org.apache.spark.sql.functions.regr_slope;
import static org.apache.spark.sql.functions.regr_sxx;
import static org.apache.spark.sql.functions.regr_sxy;
import static org.apache.spark.sql.functions.regr_syy;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** DIR/summary: one row per cell. Column meanings are in docs/analysis.md. */
final class SummaryJob {
    private SummaryJob() {
    }

    /** Output columns, in order; the first block (through hit_fraction) is the contract. */
    static final String[] COLUMNS = {
        "cell_id", "d", "alpha", "delta", "gamma", "rho", "block_size", "noise", "q", "iterations",
        "replicates", "seeds",
        "converged_runs", "p_converge", "p_converge_lo", "p_converge_hi",
        "theta_runs", "p_theta", "p_theta_lo", "p_theta_hi",
        "rate_theory", "rate_fit", "rate_fit_se", "rate_ratio",
        "rate_fit_points", "rate_fit_k_start", "rate_fit_r2",
        "bound_max_ratio", "bound_worst_k", "bound_max_z", "bound_checked_points", "bound_violations",
        "bound_holds",
        "hit_runs", "hit_fraction", "mean_hit_time", "median_hit_time", "sd_hit_time", "alpha_mean_hit_time",
        "p1_0", "tolerance"};

    /** The order of the console table and of the written file. */
    static final String[] SORT = {
        "d", "gamma", "rho", "block_size", "noise", "q", "delta", "alpha", "iterations", "cell_id"};

    /**
     * @param stats  {@link RunStats#of} over the runs
     * @param curves the curves table ({@link CurvesJob#compute}, as written)
     * @param cells  the cells input
     */
    static Dataset<Row> compute(Dataset<Row> stats, Dataset<Row> curves, Dataset<Row> cells) {
        final Dataset<Row> perCell = curveAggregates(curves);
        final Dataset<Row> cellInfo = cells.select(
            col("cell_id"), col("d"), col("replicates"), col("p1_0"), col("tolerance"));
        final Column fitOk = col("rate_fit_points").geq(lit(Rules.MIN_FIT_POINTS)).and(col("fit_sxx").gt(0));
        return stats
            .join(perCell, Rules.CELL_KEY, "left")
            .join(cellInfo, Rules.CELL_KEY, "left")
            .withColumn("p_converge", ratio(col("converged_runs"), col("seeds")))
            .withColumn("p_converge_lo", Wilson.lower(col("converged_runs"), col("seeds")))
            .withColumn("p_converge_hi", Wilson.upper(col("converged_runs"), col("seeds")))
            .withColumn("p_theta", ratio(col("theta_runs"), col("seeds")))
            .withColumn("p_theta_lo", Wilson.lower(col("theta_runs"), col("seeds")))
            .withColumn("p_theta_hi", Wilson.upper(col("theta_runs"), col("seeds")))
            .withColumn("rate_theory", Rules.rateTheory())
            .withColumn("rate_fit", when(fitOk, functions.negate(col("fit_slope"))))
            .withColumn("rate_fit_se", when(fitOk, slopeStandardError()))
            .withColumn("rate_fit_r2", when(fitOk, col("fit_r2")))
            .withColumn("rate_ratio", when(col("rate_theory").gt(0), col("rate_fit").divide(col("rate_theory"))))
            .withColumn("rate_fit_points", when(col("rate_fit_points").isNull(), lit(0L))
                .otherwise(col("rate_fit_points")))
            .withColumn("bound_checked_points", when(col("bound_checked_points").isNull(), lit(0L))
                .otherwise(col("bound_checked_points")))
            .withColumn("bound_holds", when(col("bound_checked_points").gt(0), col("bound_violations").equalTo(0)))
            .withColumn("hit_fraction", ratio(col("hit_runs"), col("seeds")))
            .withColumn("alpha_mean_hit_time", col("alpha").multiply(col("mean_hit_time")))
            .select(Rules.cols(COLUMNS));
    }

    /**
     * Per cell, from its curve: the rate fit's regression aggregates over the decaying range,
     * and the envelope check.
     *
     * <p>Decaying range: let {@code k0} be the first checkpoint at which mean_dist_theta attains
     * its maximum over the cell's checkpoints. The fit uses the checkpoints with {@code k >= k0}
     * and mean_dist_theta > {@link Rules#FIT_FLOOR}, regressing y = ln(mean_dist_theta) on x = k.
     */
    static Dataset<Row> curveAggregates(Dataset<Row> curves) {
        final WindowSpec cell = Window.partitionBy(Rules.cols(Rules.CELL_KEY));
        final Column usable = col("k").geq(col("k_start")).and(col("mean_dist_theta").gt(lit(Rules.FIT_FLOOR)));
        return curves
            .withColumn("peak", max(col("mean_dist_theta")).over(cell))
            .withColumn("k_start", min(when(col("mean_dist_theta").equalTo(col("peak")), col("k"))).over(cell))
            .withColumn("fit_x", when(usable, col("k").cast("double")))
            .withColumn("fit_y", when(usable, log(col("mean_dist_theta"))))
            .withColumn("ratio_max", max(col("envelope_ratio")).over(cell))
            .groupBy(Rules.cols(Rules.CELL_KEY))
            .agg(
                regr_count(col("fit_y"), col("fit_x")).as("rate_fit_points"),
                min(col("k_start")).as("rate_fit_k_start"),
                regr_slope(col("fit_y"), col("fit_x")).as("fit_slope"),
                regr_sxx(col("fit_y"), col("fit_x")).as("fit_sxx"),
                regr_syy(col("fit_y"), col("fit_x")).as("fit_syy"),
                regr_sxy(col("fit_y"), col("fit_x")).as("fit_sxy"),
                regr_r2(col("fit_y"), col("fit_x")).as("fit_r2"),
                max(col("envelope_ratio")).as("bound_max_ratio"),
                min(when(col("envelope_ratio").equalTo(col("ratio_max")), col("k"))).as("bound_worst_k"),
                max(col("excess_z")).as("bound_max_z"),
                count(when(col("bound_checked"), lit(1))).as("bound_checked_points"),
                count(when(col("exceeds"), lit(1))).as("bound_violations"));
    }

    /** sqrt((SSE / (n - 2)) / Sxx) with SSE = Syy - Sxy^2 / Sxx (clamped at 0 against rounding). */
    static Column slopeStandardError() {
        final Column sse = greatest(lit(0.0),
            col("fit_syy").minus(col("fit_sxy").multiply(col("fit_sxy")).divide(col("fit_sxx"))));
        return sqrt(sse.divide(col("rate_fit_points").minus(2).cast("double")).divide(col("fit_sxx")));
    }

    static Column ratio(Column numerator, Column denominator) {
        return when(denominator.gt(0), numerator.cast("double").divide(denominator.cast("double")));
    }
}

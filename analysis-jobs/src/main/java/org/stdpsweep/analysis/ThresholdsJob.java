package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.regr_count;
import static org.apache.spark.sql.functions.regr_slope;
import static org.apache.spark.sql.functions.regr_sxx;
import static org.apache.spark.sql.functions.regr_sxy;
import static org.apache.spark.sql.functions.regr_syy;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** DIR/thresholds: one row per alpha-series of cells. Column meanings are in docs/analysis.md. */
final class ThresholdsJob {
    private ThresholdsJob() {
    }

    /** Cells that differ only in alpha form one series. */
    static final String[] GROUP = {"d", "delta", "gamma", "rho", "block_size", "noise", "q", "iterations"};

    static final String[] COLUMNS = Rules.concat(GROUP, new String[] {
        "cells", "alpha_min", "alpha_max",
        "alpha_cross", "alpha_cross_below", "alpha_cross_above",
        "hit_scaling_slope", "hit_scaling_se", "hit_scaling_points"});

    /** @param summary the summary table, as written */
    static Dataset<Row> compute(Dataset<Row> summary) {
        final WindowSpec series = Window.partitionBy(Rules.cols(GROUP)).orderBy(col("alpha"), col("cell_id"));
        final Column crosses = col("prev_p").geq(lit(Rules.HALF)).and(col("p_converge").lt(lit(Rules.HALF)));
        final Column hit = col("mean_hit_time").isNotNull().and(col("mean_hit_time").gt(0));
        final Column fitOk = col("hit_scaling_points").geq(lit(Rules.MIN_FIT_POINTS)).and(col("hit_sxx").gt(0));
        return summary
            .select(Rules.cols(Rules.concat(GROUP, new String[] {"cell_id", "alpha", "p_converge", "mean_hit_time"})))
            .withColumn("prev_alpha", lag(col("alpha"), 1).over(series))
            .withColumn("prev_p", lag(col("p_converge"), 1).over(series))
            .withColumn("cross_order", when(crosses, col("alpha")))
            .withColumn("cross_alpha", when(crosses, crossing()))
            .withColumn("hit_x", when(hit, log(col("alpha"))))
            .withColumn("hit_y", when(hit, log(col("alpha").multiply(col("mean_hit_time")))))
            .groupBy(Rules.cols(GROUP))
            .agg(
                count(lit(1)).as("cells"),
                min(col("alpha")).as("alpha_min"),
                max(col("alpha")).as("alpha_max"),
                min_by(col("cross_alpha"), col("cross_order")).as("alpha_cross"),
                min_by(col("prev_alpha"), col("cross_order")).as("alpha_cross_below"),
                min(col("cross_order")).as("alpha_cross_above"),
                regr_count(col("hit_y"), col("hit_x")).as("hit_scaling_points"),
                regr_slope(col("hit_y"), col("hit_x")).as("hit_slope"),
                regr_sxx(col("hit_y"), col("hit_x")).as("hit_sxx"),
                regr_syy(col("hit_y"), col("hit_x")).as("hit_syy"),
                regr_sxy(col("hit_y"), col("hit_x")).as("hit_sxy"))
            .withColumn("hit_scaling_slope", when(fitOk, col("hit_slope")))
            .withColumn("hit_scaling_se", when(fitOk, slopeStandardError()))
            .select(Rules.cols(COLUMNS));
    }

    /**
     * Linear interpolation in log alpha between (a0, p0) = (prev_alpha, prev_p) and
     * (a1, p1) = (alpha, p_converge): log a* = log a0 + (p0 - 1/2) / (p0 - p1) (log a1 - log a0).
     */
    static Column crossing() {
        final Column t = col("prev_p").minus(lit(Rules.HALF)).divide(col("prev_p").minus(col("p_converge")));
        final Column la0 = log(col("prev_alpha"));
        return exp(la0.plus(t.multiply(log(col("alpha")).minus(la0))));
    }

    static Column slopeStandardError() {
        final Column sse = greatest(lit(0.0),
            col("hit_syy").minus(col("hit_sxy").multiply(col("hit_sxy")).divide(col("hit_sxx"))));
        return sqrt(sse.divide(col("hit_scaling_points").minus(2).cast("double")).divide(col("hit_sxx")));
    }
}

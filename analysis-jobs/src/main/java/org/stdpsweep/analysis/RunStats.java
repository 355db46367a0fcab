package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Per-cell statistics of the runs table: parameters, counts and hitting times. */
final class RunStats {
    private RunStats() {
    }

    /**
     * One row per (cell_id, d): the cell's parameters (constant within a cell, taken as min),
     * {@code seeds}, {@code converged_runs}, {@code theta_runs} (theta_exit null), {@code hit_runs}
     * (hit_time_1e3 non-null) and the mean, exact median and sample sd of hit_time_1e3 over the
     * runs that hit.
     */
    static Dataset<Row> of(Dataset<Row> runs) {
        return runs.groupBy(Rules.cols(Rules.CELL_KEY)).agg(
            min(col("alpha")).as("alpha"),
            min(col("delta")).as("delta"),
            min(col("gamma")).as("gamma"),
            min(col("rho")).as("rho"),
            min(col("block_size")).as("block_size"),
            min(col("noise")).as("noise"),
            min(col("q")).as("q"),
            min(col("iterations")).as("iterations"),
            count(lit(1)).as("seeds"),
            sum(when(col("converged"), lit(1L)).otherwise(lit(0L))).as("converged_runs"),
            sum(when(col("theta_exit").isNull(), lit(1L)).otherwise(lit(0L))).as("theta_runs"),
            count(col("hit_time_1e3")).as("hit_runs"),
            avg(col("hit_time_1e3")).as("mean_hit_time"),
            percentile(col("hit_time_1e3"), lit(0.5)).as("median_hit_time"),
            stddev_samp(col("hit_time_1e3")).as("sd_hit_time"));
    }
}

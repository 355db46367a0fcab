package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the sweep driver's tables (docs/output-schema.md) and keeps only the columns the
 * analysis relies on, cast to the documented types.
 *
 * <p>The tables are hive-partitioned by {@code d} and {@code cell_id}. Spark infers partition
 * value types from the directory names, which would read a cell id such as
 * {@code 0012345678901234} as a number (losing its leading zeros) and {@code 1e40abcd...} as text:
 * so each table is listed once for its data schema and read again with {@code cell_id} forced
 * to string and {@code d} to int.
 */
final class Inputs {
    final Dataset<Row> runs;
    final Dataset<Row> checkpoints;
    final Dataset<Row> cells;

    private Inputs(Dataset<Row> runs, Dataset<Row> checkpoints, Dataset<Row> cells) {
        this.runs = runs;
        this.checkpoints = checkpoints;
        this.cells = cells;
    }

    static Inputs read(SparkSession spark, String dir) {
        final Dataset<Row> runs = readPartitioned(spark, dir + "/runs").select(
            col("cell_id"), col("d"),
            col("alpha").cast("double").as("alpha"),
            col("delta").cast("double").as("delta"),
            col("gamma").cast("string").as("gamma"),
            col("rho").cast("double").as("rho"),
            col("block_size").cast("int").as("block_size"),
            col("noise").cast("string").as("noise"),
            col("q").cast("double").as("q"),
            col("iterations").cast("int").as("iterations"),
            col("replicate").cast("long").as("replicate"),
            col("converged").cast("boolean").as("converged"),
            col("theta_exit").cast("int").as("theta_exit"),
            col("hit_time_1e3").cast("int").as("hit_time_1e3"));
        final Dataset<Row> checkpoints = readPartitioned(spark, dir + "/checkpoints").select(
            col("cell_id"), col("d"),
            col("replicate").cast("long").as("replicate"),
            col("k").cast("int").as("k"),
            col("dist").cast("double").as("dist"),
            col("margin").cast("double").as("margin"));
        final Dataset<Row> cells = readPartitioned(spark, dir + "/cells").select(
            col("cell_id"), col("d"),
            col("replicates").cast("long").as("replicates"),
            col("tolerance").cast("double").as("tolerance"),
            col("p1_0").cast("double").as("p1_0"),
            col("mf_k").cast("array<int>").as("mf_k"),
            col("mf_dist").cast("array<double>").as("mf_dist"),
            col("mf_margin").cast("array<double>").as("mf_margin"));
        return new Inputs(runs, checkpoints, cells);
    }

    /** Reads a hive-partitioned Parquet table with {@code cell_id} as string and {@code d} as int. */
    static Dataset<Row> readPartitioned(SparkSession spark, String path) {
        final StructType inferred = spark.read().parquet(path).schema();
        final StructField[] fields = inferred.fields().clone();
        for (int i = 0; i < fields.length; i++) {
            final StructField f = fields[i];
            if (f.name().equals("cell_id")) {
                fields[i] = new StructField("cell_id", DataTypes.StringType, f.nullable(), f.metadata());
            } else if (f.name().equals("d")) {
                fields[i] = new StructField("d", DataTypes.IntegerType, f.nullable(), f.metadata());
            }
        }
        return spark.read().schema(new StructType(fields)).parquet(path);
    }
}

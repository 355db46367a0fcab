package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.stdpsweep.analysis.report.Report;

/**
 * The analysis of a sweep: reads {@code DIR/runs}, {@code DIR/checkpoints} and {@code DIR/cells}
 * (docs/output-schema.md) and writes {@code DIR/curves}, {@code DIR/summary} and
 * {@code DIR/thresholds} (docs/analysis.md).
 *
 * <p>Every output is fully derived from the inputs, so each run overwrites them. All three are
 * first written to temporary siblings ({@code DIR/summary.tmp-TOKEN}, ...); only when all three are complete are they moved
 * into place. A failure therefore leaves the previous tables (or none) and never a partial one.
 */
public final class AnalysisJobs {
    private AnalysisJobs() {
    }

    public static final String CURVES = "curves";
    public static final String SUMMARY = "summary";
    public static final String THRESHOLDS = "thresholds";

    /**
     * @param spark the session
     * @param dir   the sweep's output directory (any Hadoop path)
     * @return the collected summary (one row per cell) and thresholds
     */
    public static AnalysisResult run(SparkSession spark, String dir) {
        final Path base = new Path(dir);
        final String token = UUID.randomUUID().toString();
        final Path curvesTmp = TableSwap.temporary(base, CURVES, token);
        final Path summaryTmp = TableSwap.temporary(base, SUMMARY, token);
        final Path thresholdsTmp = TableSwap.temporary(base, THRESHOLDS, token);
        final FileSystem fs;
        try {
            fs = base.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + dir, e);
        }
        try {
            final Inputs in = Inputs.read(spark, dir);
            final Dataset<Row> stats = RunStats.of(in.runs);

            write(CurvesJob.compute(in, stats)
                .repartition(col("d")).sortWithinPartitions(col("d"), col("cell_id"), col("k")), curvesTmp);
            final Dataset<Row> curves = spark.read().parquet(curvesTmp.toString());

            write(SummaryJob.compute(stats, curves, in.cells)
                .repartition(1).sortWithinPartitions(Rules.cols(SummaryJob.SORT)), summaryTmp);
            final Dataset<Row> summary = spark.read().parquet(summaryTmp.toString());
            final List<Row> summaryRows = summary.orderBy(Rules.cols(SummaryJob.SORT)).collectAsList();

            write(ThresholdsJob.compute(summary)
                .repartition(1).sortWithinPartitions(Rules.cols(ThresholdsJob.GROUP)), thresholdsTmp);
            final List<Row> thresholdRows = spark.read().parquet(thresholdsTmp.toString())
                .orderBy(Rules.cols(ThresholdsJob.GROUP)).collectAsList();

            TableSwap.replace(fs, curvesTmp, new Path(base, CURVES), token);
            TableSwap.replace(fs, summaryTmp, new Path(base, SUMMARY), token);
            TableSwap.replace(fs, thresholdsTmp, new Path(base, THRESHOLDS), token);
            final AnalysisResult result = new AnalysisResult(dir, summaryRows, thresholdRows);
            return withReport(spark, result);
        } catch (IOException e) {
            throw new UncheckedIOException("analysis of " + dir + " failed", e);
        } finally {
            TableSwap.discard(fs, curvesTmp);
            TableSwap.discard(fs, summaryTmp);
            TableSwap.discard(fs, thresholdsTmp);
        }
    }

    /**
     * Writes DIR/report.html (docs/report.md). The tables are in place by then; a report that
     * cannot be written does not fail the analysis, and the verdict says why it is missing.
     */
    private static AnalysisResult withReport(SparkSession spark, AnalysisResult result) {
        try {
            return result.withReport(Report.write(spark, result.dir(), result.summary(), result.thresholds(),
                result.envelopeVerdict()), null);
        } catch (IOException | RuntimeException e) {
            return result.withReport(null, e.toString());
        }
    }

    private static void write(Dataset<Row> table, Path path) {
        table.write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(path.toString());
    }
}

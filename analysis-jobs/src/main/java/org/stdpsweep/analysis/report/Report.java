package org.stdpsweep.analysis.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes {@code DIR/report.html} (docs/report.md) from the analysis tables: the summary and
 * threshold rows already collected by the analysis, and the curves of the few plotted cells,
 * read from {@code DIR/curves}.
 */
public final class Report {
    private Report() {
    }

    public static final String FILE = "report.html";

    /**
     * @param summary    the rows of DIR/summary, in its order
     * @param thresholds the rows of DIR/thresholds
     * @param verdict    the verdict line shown at the top
     * @return the path of the report written
     */
    public static String write(SparkSession spark, String dir, List<Row> summary, List<Row> thresholds,
        String verdict) throws IOException {
        final ReportData partial = ReportData.of(dir, verdict, summary, List.of(), thresholds);
        final List<String> chosen = HtmlReport.chooseCurveCells(partial.cells());
        final List<Row> curves = chosen.isEmpty() ? List.of()
            : spark.read().parquet(new Path(dir, "curves").toString())
                .where(col("cell_id").isin(chosen.toArray()))
                .select("cell_id", "k", "p_theta_k", "p_theta_k_lo", "p_theta_k_hi", "mean_dist_theta",
                    "mean_dist_theta_se", "envelope", "mf_dist", "mean_dist")
                .orderBy("cell_id", "k").collectAsList();
        final String html = HtmlReport.render(ReportData.of(dir, verdict, summary, curves, thresholds));
        final Path target = new Path(dir, FILE);
        writeAtomically(target.getFileSystem(spark.sparkContext().hadoopConfiguration()), target,
            html.getBytes(StandardCharsets.UTF_8));
        return target.toString();
    }

    /**
     * Writes the bytes to a hidden temporary sibling, then renames it onto {@code target}: an
     * atomic replace on a local file system (java.nio, so Hadoop's checksum side files are not
     * made); elsewhere the old file is deleted first (readers may briefly see none, never half).
     */
    static void writeAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
        final String tmpName = "." + target.getName() + ".tmp-" + UUID.randomUUID();
        if (fs instanceof LocalFileSystem) {
            final java.nio.file.Path t = ((LocalFileSystem) fs).pathToFile(target).toPath();
            final java.nio.file.Path tmp = t.resolveSibling(tmpName);
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, t, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return;
        }
        final Path tmp = new Path(target.getParent(), tmpName);
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("could not move " + tmp + " to " + target);
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
        }
    }
}

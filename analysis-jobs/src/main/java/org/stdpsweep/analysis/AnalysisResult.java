package org.stdpsweep.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.apache.spark.sql.Row;

/**
 * What {@link AnalysisJobs#run} returns: the summary rows (one per cell, sorted by d, gamma, rho,
 * block_size, noise, q, delta, alpha, iterations, cell_id) and the threshold rows, collected to
 * the driver, with a console table and a one-line verdict. Row fields are read by column name
 * (docs/analysis.md).
 */
public final class AnalysisResult {
    private final String dir;
    private final List<Row> summary;
    private final List<Row> thresholds;
    private final String report;
    private final String reportError;

    AnalysisResult(String dir, List<Row> summary, List<Row> thresholds) {
        this(dir, summary, thresholds, null, null);
    }

    private AnalysisResult(String dir, List<Row> summary, List<Row> thresholds, String report, String reportError) {
        this.dir = dir;
        this.summary = Collections.unmodifiableList(new ArrayList<>(summary));
        this.thresholds = Collections.unmodifiableList(new ArrayList<>(thresholds));
        this.report = report;
        this.reportError = reportError;
    }

    /** @return this result with the report's path, or the reason it could not be written */
    AnalysisResult withReport(String path, String error) {
        return new AnalysisResult(dir, summary, thresholds, path, error);
    }

    /** @return the path of DIR/report.html, or null when it was not written (see {@link #verdict()}) */
    public String report() {
        return report;
    }

    /** @return the sweep directory analysed */
    public String dir() {
        return dir;
    }

    /** @return the rows of DIR/summary, sorted as in {@link #consoleTable()} */
    public List<Row> summary() {
        return summary;
    }

    /** @return the rows of DIR/thresholds */
    public List<Row> thresholds() {
        return thresholds;
    }

    /** @return the summary row of a cell, or null */
    public Row cell(String cellId) {
        for (Row r : summary) {
            if (cellId.equals(r.getAs("cell_id"))) {
                return r;
            }
        }
        return null;
    }

    /** @return cells whose envelope check was made (bound_holds non-null) */
    public int cellsChecked() {
        int n = 0;
        for (Row r : summary) {
            n += r.getAs("bound_holds") == null ? 0 : 1;
        }
        return n;
    }

    /** @return the summary rows with bound_holds = false */
    public List<Row> violations() {
        final List<Row> out = new ArrayList<>();
        for (Row r : summary) {
            if (Boolean.FALSE.equals(r.getAs("bound_holds"))) {
                out.add(r);
            }
        }
        return out;
    }

    /** A fixed-width table of the summary, one line per cell, with a header line. */
    public String consoleTable() {
        final String[] header = {"d", "gamma", "rho", "noise", "q", "delta", "alpha", "seeds",
            "p_converge [lo, hi]", "p_theta", "rate_fit ± se", "rate_theory", "ratio", "bound_max_ratio",
            "holds", "mean_hit_time"};
        final boolean[] left = new boolean[header.length];
        left[1] = true;
        left[3] = true;
        final List<String[]> lines = new ArrayList<>();
        lines.add(header);
        for (Row r : summary) {
            lines.add(new String[] {
                String.valueOf((Object) r.getAs("d")),
                String.valueOf((Object) r.getAs("gamma")),
                num(r.getAs("rho")),
                String.valueOf((Object) r.getAs("noise")),
                num(r.getAs("q")),
                num(r.getAs("delta")),
                num(r.getAs("alpha")),
                String.valueOf((Object) r.getAs("seeds")),
                fixed(r.getAs("p_converge")) + " [" + fixed(r.getAs("p_converge_lo")) + ", "
                    + fixed(r.getAs("p_converge_hi")) + "]",
                fixed(r.getAs("p_theta")),
                num(r.getAs("rate_fit")) + " ± " + num(r.getAs("rate_fit_se")),
                num(r.getAs("rate_theory")),
                num(r.getAs("rate_ratio")),
                num(r.getAs("bound_max_ratio")),
                r.getAs("bound_holds") == null ? "-" : ((Boolean) r.getAs("bound_holds") ? "yes" : "NO"),
                num(r.getAs("mean_hit_time"))});
        }
        final int[] width = new int[header.length];
        for (String[] line : lines) {
            for (int j = 0; j < line.length; j++) {
                width[j] = Math.max(width[j], line[j].length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            for (int j = 0; j < line.length; j++) {
                if (j > 0) {
                    sb.append("  ");
                }
                final String pad = " ".repeat(width[j] - line[j].length());
                sb.append(left[j] ? line[j] + pad : pad + line[j]);
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /**
     * {@link #envelopeVerdict()}, then on a second line where the HTML report is
     * ({@code report: DIR/report.html}), or why it was not written.
     */
    public String verdict() {
        if (report == null && reportError == null) {
            return envelopeVerdict();
        }
        return envelopeVerdict() + System.lineSeparator()
            + (report != null ? "report: " + report : "report: not written (" + reportError + ")");
    }

    /**
     * One line: cells checked, cells where the envelope held, and the cells (by parameters)
     * where it did not; cells that could not be checked (fewer than 2 runs) are counted apart.
     */
    public String envelopeVerdict() {
        final List<Row> bad = violations();
        final int checked = cellsChecked();
        final StringBuilder sb = new StringBuilder();
        sb.append("Theorem 2.2 envelope: ").append(checked).append(" cells checked, held in ")
            .append(checked - bad.size()).append(", violated (> 3 SE) in ").append(bad.size());
        if (!bad.isEmpty()) {
            sb.append(':');
            for (int i = 0; i < bad.size(); i++) {
                final Row r = bad.get(i);
                sb.append(i == 0 ? " " : "; ").append(String.format(Locale.ROOT,
                    "d=%s gamma=%s rho=%s noise=%s q=%s delta=%s alpha=%s K=%s (max ratio %s at k=%s)",
                    r.getAs("d"), r.getAs("gamma"), num(r.getAs("rho")), r.getAs("noise"), num(r.getAs("q")),
                    num(r.getAs("delta")), num(r.getAs("alpha")), r.getAs("iterations"),
                    num(r.getAs("bound_max_ratio")), r.getAs("bound_worst_k")));
            }
        }
        final int unchecked = summary.size() - checked;
        if (unchecked > 0) {
            sb.append("; not checkable (fewer than 2 runs): ").append(unchecked);
        }
        return sb.toString();
    }

    private static String num(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double) {
            final double x = (Double) v;
            return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4g", x) : String.valueOf(x);
        }
        return String.valueOf(v);
    }

    private static String fixed(Object v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", (Double) v);
    }
}

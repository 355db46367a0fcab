package org.stdpsweep.analysis.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.apache.spark.sql.Row;

/**
 * What the report shows, as plain values taken from the analysis tables (docs/analysis.md):
 * the summary (one {@link Cell} per cell), the curves of the cells chosen for the curve plots
 * and the threshold rows. Nullable columns are boxed and stay null.
 */
public final class ReportData {
    /** One row of DIR/summary (the columns the report uses). */
    public record Cell(String cellId, int d, double alpha, double delta, String gamma, double rho, int blockSize,
        String noise, double q, int iterations, long seeds, double pConverge, double pConvergeLo,
        double pConvergeHi, double pTheta, double pThetaLo, double pThetaHi, double rateTheory, Double rateFit,
        Double rateFitSe, Double rateRatio, Double boundMaxRatio, Integer boundWorstK, Boolean boundHolds,
        double hitFraction, Double meanHitTime, Double alphaMeanHitTime) {

        /** The co-firing structure as written in a sweep file, e.g. {@code equicorrelated:0.3}. */
        public String gammaLabel() {
            switch (gamma) {
                case "independent":
                case "explicit":
                    return gamma;
                case "block":
                    return "block:" + blockSize + ":" + Fmt.g(rho);
                default:
                    return gamma + ":" + Fmt.g(rho);
            }
        }

        /** The noise model as written in a sweep file, e.g. {@code uniform:1.0}. */
        public String noiseLabel() {
            return "none".equals(noise) ? noise : noise + ":" + Fmt.g(q);
        }

        /** (d, gamma, noise, K): the panel of the heat maps and of the hitting-time plots. */
        public String panelKey() {
            return "d=" + d + "  gamma=" + gammaLabel() + "  noise=" + noiseLabel() + "  K=" + iterations;
        }

        /** All parameters, one line. */
        public String describe() {
            return String.format(Locale.ROOT, "d=%d gamma=%s noise=%s delta=%s alpha=%s K=%d (%s)", d, gammaLabel(),
                noiseLabel(), Fmt.g(delta), Fmt.g(alpha), iterations, cellId);
        }

        static Cell of(Row r) {
            return new Cell(r.getAs("cell_id"), r.<Integer>getAs("d"), r.<Double>getAs("alpha"),
                r.<Double>getAs("delta"), r.getAs("gamma"), r.<Double>getAs("rho"), r.<Integer>getAs("block_size"),
                r.getAs("noise"), r.<Double>getAs("q"), r.<Integer>getAs("iterations"), r.<Long>getAs("seeds"),
                r.<Double>getAs("p_converge"), r.<Double>getAs("p_converge_lo"), r.<Double>getAs("p_converge_hi"),
                r.<Double>getAs("p_theta"), r.<Double>getAs("p_theta_lo"), r.<Double>getAs("p_theta_hi"),
                r.<Double>getAs("rate_theory"), r.getAs("rate_fit"), r.getAs("rate_fit_se"), r.getAs("rate_ratio"),
                r.getAs("bound_max_ratio"), r.getAs("bound_worst_k"), r.getAs("bound_holds"),
                r.<Double>getAs("hit_fraction"), r.getAs("mean_hit_time"), r.getAs("alpha_mean_hit_time"));
        }
    }

    /** One row of DIR/curves (the columns the report uses). */
    public record CurvePoint(String cellId, int k, double pThetaK, double pThetaKLo, double pThetaKHi,
        double meanDistTheta, Double meanDistThetaSe, Double envelope, Double mfDist, double meanDist) {

        static CurvePoint of(Row r) {
            return new CurvePoint(r.getAs("cell_id"), r.<Integer>getAs("k"), r.<Double>getAs("p_theta_k"),
                r.<Double>getAs("p_theta_k_lo"), r.<Double>getAs("p_theta_k_hi"), r.<Double>getAs("mean_dist_theta"),
                r.getAs("mean_dist_theta_se"), r.getAs("envelope"), r.getAs("mf_dist"), r.<Double>getAs("mean_dist"));
        }
    }

    /** One row of DIR/thresholds (the columns the report uses). */
    public record Threshold(int d, double delta, String gamma, double rho, int blockSize, String noise, double q,
        int iterations, long cells, Double alphaCross, Double hitScalingSlope, Double hitScalingSe) {

        static Threshold of(Row r) {
            return new Threshold(r.<Integer>getAs("d"), r.<Double>getAs("delta"), r.getAs("gamma"),
                r.<Double>getAs("rho"), r.<Integer>getAs("block_size"), r.getAs("noise"), r.<Double>getAs("q"),
                r.<Integer>getAs("iterations"), r.<Long>getAs("cells"), r.getAs("alpha_cross"),
                r.getAs("hit_scaling_slope"), r.getAs("hit_scaling_se"));
        }

        /** @return whether the cell belongs to this alpha series */
        public boolean contains(Cell c) {
            return c.d() == d && c.delta() == delta && c.gamma().equals(gamma) && sameDouble(c.rho(), rho)
                && c.blockSize() == blockSize && c.noise().equals(noise) && c.q() == q && c.iterations() == iterations;
        }
    }

    private final String dir;
    private final String verdict;
    private final List<Cell> cells;
    private final List<CurvePoint> curves;
    private final List<Threshold> thresholds;

    public ReportData(String dir, String verdict, List<Cell> cells, List<CurvePoint> curves,
        List<Threshold> thresholds) {
        this.dir = dir;
        this.verdict = verdict;
        this.cells = Collections.unmodifiableList(new ArrayList<>(cells));
        this.curves = Collections.unmodifiableList(new ArrayList<>(curves));
        this.thresholds = Collections.unmodifiableList(new ArrayList<>(thresholds));
    }

    /** Converts collected rows of the three tables. */
    public static ReportData of(String dir, String verdict, List<Row> summary, List<Row> curves,
        List<Row> thresholds) {
        final List<Cell> c = new ArrayList<>();
        summary.forEach(r -> c.add(Cell.of(r)));
        final List<CurvePoint> p = new ArrayList<>();
        curves.forEach(r -> p.add(CurvePoint.of(r)));
        final List<Threshold> t = new ArrayList<>();
        thresholds.forEach(r -> t.add(Threshold.of(r)));
        return new ReportData(dir, verdict, c, p, t);
    }

    public String dir() {
        return dir;
    }

    public String verdict() {
        return verdict;
    }

    public List<Cell> cells() {
        return cells;
    }

    public List<CurvePoint> curves() {
        return curves;
    }

    public List<Threshold> thresholds() {
        return thresholds;
    }

    /** @return the curve points of a cell, in increasing k */
    public List<CurvePoint> curve(String cellId) {
        final List<CurvePoint> out = new ArrayList<>();
        for (CurvePoint p : curves) {
            if (p.cellId().equals(cellId)) {
                out.add(p);
            }
        }
        out.sort((a, b) -> Integer.compare(a.k(), b.k()));
        return out;
    }

    static boolean sameDouble(double a, double b) {
        return Double.compare(a, b) == 0 || a == b;
    }
}

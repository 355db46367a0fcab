package org.stdpsweep.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The analysis recomputed in plain Java over the fixture's rows, following docs/analysis.md and
 * sharing no code with the jobs (slopes come from commons-math3 SimpleRegression).
 */
final class Expected {
    private Expected() {
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Sample standard deviation; null for fewer than 2 values. */
    static Double sd(double[] x) {
        if (x.length < 2) {
            return null;
        }
        // Two-pass on values shifted by x[0], so that equal values give exactly 0.
        final double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] - x[0];
        }
        final double m = mean(y);
        double s = 0;
        for (double v : y) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }

    /** Exact percentile with linear interpolation at position p (n - 1) of the sorted values. */
    static double percentile(double[] x, double p) {
        final double[] s = x.clone();
        Arrays.sort(s);
        final double pos = p * (s.length - 1);
        final int lo = (int) Math.floor(pos);
        final int hi = (int) Math.ceil(pos);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    static double[] wilson(long s, long n) {
        // Independent spelling of the closed form, with centre and half-width.
        final double z = 1.959963984540054;
        final double p = (double) s / n;
        final double a = 1 + z * z / n;
        final double centre = (p + z * z / (2.0 * n)) / a;
        final double half = (z / a) * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return new double[] {s == 0 ? 0 : centre - half, s == n ? 1 : centre + half};
    }

    /** One row of curves per checkpoint of the cell, keyed by column name. */
    static List<Map<String, Object>> curves(Fixture.Cell c) {
        final List<Map<String, Object>> out = new ArrayList<>();
        final int n = c.runs.size();
        for (int j = 0; j < c.ks.length; j++) {
            final int k = c.ks[j];
            final double[] x = new double[n];
            final double[] dist = new double[n];
            final double[] margin = new double[n];
            long inThetaK = 0;
            for (int i = 0; i < n; i++) {
                final Fixture.Run r = c.runs.get(i);
                x[i] = r.thetaExit == null ? r.dist[j] : 0.0;
                dist[i] = r.dist[j];
                margin[i] = r.margin[j];
                if (r.thetaExit == null || r.thetaExit > k) {
                    inThetaK++;
                }
            }
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("cell_id", c.id);
            row.put("d", c.d);
            row.put("k", k);
            row.put("runs", (long) n);
            row.put("theta_k_runs", inThetaK);
            row.put("p_theta_k", (double) inThetaK / n);
            final double[] w = wilson(inThetaK, n);
            row.put("p_theta_k_lo", w[0]);
            row.put("p_theta_k_hi", w[1]);
            final double est = mean(x);
            final Double sd = sd(x);
            final Double se = sd == null ? null : sd / Math.sqrt(n);
            final double env = c.envelope(k);
            row.put("mean_dist_theta", est);
            row.put("mean_dist_theta_se", se);
            row.put("rate_theory", c.rateTheory());
            row.put("envelope", env);
            final boolean envOk = env >= 1e-200;
            final boolean checked = envOk && se != null;
            row.put("envelope_ratio", envOk ? est / env : null);
            row.put("bound_checked", checked);
            row.put("excess_z", checked && se > 0 ? (est - env) / se : null);
            row.put("exceeds", checked ? est > env + 3 * se + 1e-9 * env : null);
            row.put("mean_dist", mean(dist));
            row.put("mean_margin", mean(margin));
            row.put("mf_dist", c.mfDist[j]);
            row.put("mf_margin", c.mfMargin[j]);
            row.put("dist_q10", percentile(dist, 0.1));
            row.put("dist_q50", percentile(dist, 0.5));
            row.put("dist_q90", percentile(dist, 0.9));
            out.add(row);
        }
        return out;
    }

    /** The fit points (k, ln est) of the rate fit, per docs/analysis.md. */
    static double[][] fitPoints(Fixture.Cell c) {
        final List<Map<String, Object>> curve = curves(c);
        double peak = Double.NEGATIVE_INFINITY;
        int kStart = -1;
        for (Map<String, Object> row : curve) {
            final double est = (Double) row.get("mean_dist_theta");
            if (est > peak) {
                peak = est;
                kStart = (Integer) row.get("k");
            }
        }
        final List<double[]> pts = new ArrayList<>();
        for (Map<String, Object> row : curve) {
            final double est = (Double) row.get("mean_dist_theta");
            final int k = (Integer) row.get("k");
            if (k >= kStart && est > 1e-200) {
                pts.add(new double[] {k, Math.log(est)});
            }
        }
        return pts.toArray(new double[0][]);
    }

    static int fitStart(Fixture.Cell c) {
        double peak = Double.NEGATIVE_INFINITY;
        int kStart = -1;
        for (Map<String, Object> row : curves(c)) {
            final double est = (Double) row.get("mean_dist_theta");
            if (est > peak) {
                peak = est;
                kStart = (Integer) row.get("k");
            }
        }
        return kStart;
    }

    static Map<String, Object> summary(Fixture.Cell c) {
        final Map<String, Object> row = new LinkedHashMap<>();
        final long n = c.runs.size();
        row.put("cell_id", c.id);
        row.put("d", c.d);
        row.put("alpha", c.alpha);
        row.put("delta", c.delta);
        row.put("gamma", c.gamma);
        row.put("rho", c.rho);
        row.put("block_size", c.blockSize);
        row.put("noise", c.noise);
        row.put("q", c.q);
        row.put("iterations", c.iterations);
        row.put("replicates", c.replicates);
        row.put("seeds", n);
        long conv = 0;
        long theta = 0;
        final List<Double> hits = new ArrayList<>();
        for (Fixture.Run r : c.runs) {
            conv += r.converged ? 1 : 0;
            theta += r.thetaExit == null ? 1 : 0;
            if (r.hit != null) {
                hits.add((double) r.hit);
            }
        }
        row.put("converged_runs", conv);
        row.put("p_converge", (double) conv / n);
        row.put("p_converge_lo", wilson(conv, n)[0]);
        row.put("p_converge_hi", wilson(conv, n)[1]);
        row.put("theta_runs", theta);
        row.put("p_theta", (double) theta / n);
        row.put("p_theta_lo", wilson(theta, n)[0]);
        row.put("p_theta_hi", wilson(theta, n)[1]);
        row.put("rate_theory", c.rateTheory());

        final double[][] pts = fitPoints(c);
        final SimpleRegression reg = new SimpleRegression(true);
        for (double[] p : pts) {
            reg.addData(p[0], p[1]);
        }
        final boolean fit = pts.length >= 3;
        row.put("rate_fit", fit ? -reg.getSlope() : null);
        row.put("rate_fit_se", fit ? reg.getSlopeStdErr() : null);
        row.put("rate_ratio", fit ? -reg.getSlope() / c.rateTheory() : null);
        row.put("rate_fit_points", (long) pts.length);
        row.put("rate_fit_k_start", fitStart(c));
        row.put("rate_fit_r2", fit ? reg.getRSquare() : null);

        Double maxRatio = null;
        Integer worstK = null;
        Double maxZ = null;
        long checked = 0;
        long violations = 0;
        for (Map<String, Object> cr : curves(c)) {
            final Double ratio = (Double) cr.get("envelope_ratio");
            if (ratio != null && (maxRatio == null || ratio > maxRatio)) { // first k of the maximum
                maxRatio = ratio;
                worstK = (Integer) cr.get("k");
            }
            final Double z = (Double) cr.get("excess_z");
            if (z != null && (maxZ == null || z > maxZ)) {
                maxZ = z;
            }
            checked += (Boolean) cr.get("bound_checked") ? 1 : 0;
            violations += Boolean.TRUE.equals(cr.get("exceeds")) ? 1 : 0;
        }
        row.put("bound_max_ratio", maxRatio);
        row.put("bound_worst_k", worstK);
        row.put("bound_max_z", maxZ);
        row.put("bound_checked_points", checked);
        row.put("bound_violations", violations);
        row.put("bound_holds", checked > 0 ? violations == 0 : null);

        final double[] h = hits.stream().mapToDouble(Double::doubleValue).toArray();
        row.put("hit_runs", (long) h.length);
        row.put("hit_fraction", (double) h.length / n);
        row.put("mean_hit_time", h.length > 0 ? mean(h) : null);
        row.put("median_hit_time", h.length > 0 ? percentile(h, 0.5) : null);
        row.put("sd_hit_time", sd(h));
        row.put("alpha_mean_hit_time", h.length > 0 ? c.alpha * mean(h) : null);
        row.put("p1_0", c.p10);
        row.put("tolerance", c.tolerance);
        return row;
    }

    /** Thresholds per series of cells differing only in alpha. */
    static Map<List<Object>, Map<String, Object>> thresholds(List<Fixture.Cell> cells) {
        final Map<List<Object>, List<Fixture.Cell>> series = new HashMap<>();
        for (Fixture.Cell c : cells) {
            series.computeIfAbsent(Arrays.asList(c.d, c.delta, c.gamma, c.rho, c.blockSize, c.noise, c.q,
                c.iterations), key -> new ArrayList<>()).add(c);
        }
        final Map<List<Object>, Map<String, Object>> out = new HashMap<>();
        for (Map.Entry<List<Object>, List<Fixture.Cell>> e : series.entrySet()) {
            final List<Fixture.Cell> s = e.getValue();
            s.sort(Comparator.comparingDouble(c -> c.alpha));
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("cells", (long) s.size());
            row.put("alpha_min", s.get(0).alpha);
            row.put("alpha_max", s.get(s.size() - 1).alpha);
            Double cross = null;
            Double below = null;
            Double above = null;
            for (int i = 1; i < s.size() && cross == null; i++) {
                final double p0 = pConverge(s.get(i - 1));
                final double p1 = pConverge(s.get(i));
                if (p0 >= 0.5 && p1 < 0.5) {
                    final double a0 = s.get(i - 1).alpha;
                    final double a1 = s.get(i).alpha;
                    cross = Math.exp(Math.log(a0) + (p0 - 0.5) / (p0 - p1) * (Math.log(a1) - Math.log(a0)));
                    below = a0;
                    above = a1;
                }
            }
            row.put("alpha_cross", cross);
            row.put("alpha_cross_below", below);
            row.put("alpha_cross_above", above);
            final SimpleRegression reg = new SimpleRegression(true);
            long points = 0;
            for (Fixture.Cell c : s) {
                final Object m = summary(c).get("mean_hit_time");
                if (m != null && (Double) m > 0) {
                    reg.addData(Math.log(c.alpha), Math.log(c.alpha * (Double) m));
                    points++;
                }
            }
            row.put("hit_scaling_points", points);
            row.put("hit_scaling_slope", points >= 3 ? reg.getSlope() : null);
            row.put("hit_scaling_se", points >= 3 ? reg.getSlopeStdErr() : null);
            out.put(e.getKey(), row);
        }
        return out;
    }

    static double pConverge(Fixture.Cell c) {
        long conv = 0;
        for (Fixture.Run r : c.runs) {
            conv += r.converged ? 1 : 0;
        }
        return (double) conv / c.runs.size();
    }

    /** Compares a value from Spark with an expected one: exact for non-doubles, relative for doubles. */
    static String mismatch(String what, Object expected, Object actual, double relTol) {
        return mismatch(what, expected, actual, relTol, 1e-300);
    }

    static String mismatch(String what, Object expected, Object actual, double relTol, double absTol) {
        if (expected == null || actual == null) {
            return expected == null && actual == null ? null : what + ": expected " + expected + ", got " + actual;
        }
        if (expected instanceof Double && actual instanceof Double) {
            final double e = (Double) expected;
            final double a = (Double) actual;
            if (Double.isNaN(e) && Double.isNaN(a)) {
                return null;
            }
            final double tol = relTol * Math.max(Math.abs(e), Math.abs(a)) + absTol;
            return Math.abs(e - a) <= tol ? null : what + ": expected " + e + ", got " + a;
        }
        if (expected instanceof Number && actual instanceof Number) {
            return ((Number) expected).longValue() == ((Number) actual).longValue()
                && ((Number) expected).doubleValue() == ((Number) actual).doubleValue()
                ? null : what + ": expected " + expected + ", got " + actual;
        }
        return Objects.equals(expected, actual) ? null : what + ": expected " + expected + ", got " + actual;
    }
}

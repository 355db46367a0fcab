package org.stdpsweep.analysis.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.stdpsweep.analysis.report.ReportData.Cell;
import org.stdpsweep.analysis.report.ReportData.CurvePoint;
import org.stdpsweep.analysis.report.ReportData.Threshold;

/**
 * A report's data made up without Spark: 2 d x 2 noise panels of 3 alpha x 2 Delta cells with
 * curves shaped like real ones (exponential decay, survival dropping then flat), one cell where
 * the envelope is exceeded, one without a rate fit, one with a single run, and awkward text
 * (a gamma with characters that need escaping is not possible in real output, but a cell id is
 * escaped all the same).
 */
final class SyntheticReport {
    private SyntheticReport() {
    }

    static final String VIOLATING = "cviolation000001";
    static final String NO_FIT = "cnofit0000000002";
    static final String SINGLE = "csingle000000003";

    static ReportData build() {
        final List<Cell> cells = new ArrayList<>();
        final List<CurvePoint> curves = new ArrayList<>();
        final List<Threshold> thresholds = new ArrayList<>();
        final double[] alphas = {0.01, 0.05, 0.1};
        final double[] deltas = {0.1, 0.2};
        int n = 0;
        for (int d : new int[] {2, 10}) {
            for (String noise : new String[] {"none", "uniform"}) {
                final double q = "none".equals(noise) ? 0 : 1.0;
                for (double delta : deltas) {
                    for (double alpha : alphas) {
                        String id = String.format(Locale.ROOT, "c%016x", 0xabc000L + n++);
                        if (d == 10 && "uniform".equals(noise) && delta == 0.2 && alpha == 0.1) {
                            id = VIOLATING;
                        } else if (d == 2 && "none".equals(noise) && delta == 0.1 && alpha == 0.01) {
                            id = NO_FIT;
                        } else if (d == 10 && "none".equals(noise) && delta == 0.1 && alpha == 0.01) {
                            id = SINGLE;
                        }
                        final long seeds = SINGLE.equals(id) ? 1 : 100;
                        final double pc = Math.max(0, Math.min(1, 1.2 - 6 * alpha - (2.0 / d) * 0.3 + delta));
                        final double rateTheory = alpha * delta * delta / (16 * d);
                        final double rateFit = alpha * 0.4 / (1 + 0.05 * d);
                        final boolean bad = VIOLATING.equals(id);
                        final double p10 = (1 + (d - 1) * delta) / d;
                        final double dist0 = 2 * (1 - p10);
                        final double meanHit = Math.log(1e3 * dist0) / (alpha * 0.4) * (1 + 0.1 * delta);
                        cells.add(new Cell(id, d, alpha, delta, "independent", 0.0, 0, noise, q, 500, seeds, pc,
                            Math.max(0, pc - 0.08), Math.min(1, pc + 0.06), 0.9, 0.84, 0.94, rateTheory,
                            NO_FIT.equals(id) ? null : rateFit, NO_FIT.equals(id) ? null : rateFit * 0.03,
                            NO_FIT.equals(id) ? null : rateFit / rateTheory, bad ? 1.8 : 1.0, bad ? 128 : 0,
                            SINGLE.equals(id) ? null : !bad, 0.97, meanHit, alpha * meanHit));
                        for (int k : new int[] {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 500}) {
                            final double est = NO_FIT.equals(id) ? (k == 0 ? dist0 : 0.0)
                                : 0.9 * dist0 * Math.exp(-rateFit * k) + (k == 0 ? 0.1 * dist0 : 0);
                            final double env = dist0 * Math.exp(-rateTheory * k);
                            final double surv = 0.9 + 0.1 * Math.exp(-k / 20.0);
                            curves.add(new CurvePoint(id, k, surv, surv - 0.05, Math.min(1, surv + 0.03),
                                bad && k == 128 ? 1.8 * env : est, SINGLE.equals(id) ? null : est * 0.05, env,
                                dist0 * Math.exp(-rateFit * 1.1 * k), est * 1.05));
                        }
                    }
                    thresholds.add(new Threshold(d, delta, "independent", 0.0, 0, noise, q, 500, 3, 0.07,
                        0.02, 0.01));
                }
            }
        }
        final String verdict = "Theorem 2.2 envelope: " + (cells.size() - 1) + " cells checked, held in "
            + (cells.size() - 2) + ", violated (> 3 SE) in 1: d=10 gamma=independent ... <&\"'>";
        return new ReportData("/tmp/sweep <test> & co", verdict, cells, curves, thresholds);
    }
}

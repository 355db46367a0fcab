package org.stdpsweep.analysis.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.stdpsweep.analysis.report.ReportData.Cell;
import org.stdpsweep.analysis.report.ReportData.CurvePoint;
import org.stdpsweep.analysis.report.ReportData.Threshold;

/**
 * Renders {@link ReportData} as one self-contained HTML page: inline CSS and hand-written inline
 * SVG, no script, no font or image loaded from anywhere (docs/report.md).
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** How many cells get the curve plots (decay against the envelope, survival). */
    public static final int CURVE_CELLS = 6;

    private static final String[] VIRIDIS = {"#440154", "#482878", "#3e4a89", "#31688e", "#26828e", "#1f9e89",
        "#35b779", "#6ece58", "#b5de2b", "#fde725"};

    /**
     * The cells whose curves are plotted, at most {@link #CURVE_CELLS}: first the cells where the
     * envelope was violated (largest bound ratio first, at most half the slots), else the cell
     * with the largest bound ratio if it exceeds 1; then, from the (d, gamma, noise, K) panels, each panel's cell
     * with the median alpha and the largest delta, spread over the values of d, gamma and noise.
     */
    public static List<String> chooseCurveCells(List<Cell> cells) {
        final LinkedHashSet<String> out = new LinkedHashSet<>();
        final List<Cell> byRatio = new ArrayList<>();
        for (Cell c : cells) {
            if (c.boundMaxRatio() != null && Double.isFinite(c.boundMaxRatio())) {
                byRatio.add(c);
            }
        }
        byRatio.sort((a, b) -> Double.compare(b.boundMaxRatio(), a.boundMaxRatio()));
        for (Cell c : byRatio) {
            if (Boolean.FALSE.equals(c.boundHolds()) && out.size() < CURVE_CELLS / 2) {
                out.add(c.cellId());
            }
        }
        if (out.isEmpty() && !byRatio.isEmpty() && byRatio.get(0).boundMaxRatio() > 1 + 1e-6) {
            // Above the envelope somewhere, though within 3 SE. (A ratio of 1 is attained at k = 0
            // by every cell whose runs all stay in Theta_K: not worth a plot of its own.)
            out.add(byRatio.get(0).cellId());
        }
        final List<Cell> reps = new ArrayList<>();
        for (List<Cell> panel : panels(cells).values()) {
            final TreeSet<Double> alphas = new TreeSet<>();
            double maxDelta = Double.NEGATIVE_INFINITY;
            for (Cell c : panel) {
                alphas.add(c.alpha());
                maxDelta = Math.max(maxDelta, c.delta());
            }
            final double median = new ArrayList<>(alphas).get((alphas.size() - 1) / 2);
            for (Cell c : panel) {
                if (c.alpha() == median && c.delta() == maxDelta) {
                    reps.add(c);
                    break;
                }
            }
        }
        // Greedy spread: each pick is the first representative sharing the fewest of d, gamma
        // and noise with the picks so far.
        final List<Cell> picked = new ArrayList<>();
        while (out.size() < CURVE_CELLS && !reps.isEmpty()) {
            Cell best = null;
            int bestScore = Integer.MAX_VALUE;
            for (Cell c : reps) {
                int score = 0;
                for (Cell p : picked) {
                    score += (p.d() == c.d() ? 1 : 0) + (p.gammaLabel().equals(c.gammaLabel()) ? 1 : 0)
                        + (p.noiseLabel().equals(c.noiseLabel()) ? 1 : 0);
                }
                if (score < bestScore) {
                    best = c;
                    bestScore = score;
                }
            }
            reps.remove(best);
            picked.add(best);
            out.add(best.cellId());
        }
        return new ArrayList<>(out).subList(0, Math.min(CURVE_CELLS, out.size()));
    }

    /** Cells grouped by (d, gamma, noise, K), in summary order. */
    static Map<String, List<Cell>> panels(List<Cell> cells) {
        final Map<String, List<Cell>> out = new LinkedHashMap<>();
        for (Cell c : cells) {
            out.computeIfAbsent(c.panelKey(), k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    /** @return the whole page */
    public static String render(ReportData data) {
        final StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>stdp-sweep report: ").append(Fmt.esc(data.dir())).append("</title>\n")
            .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>Theorem 2.2 sweep report</h1>\n");
        h.append("<p class=\"meta\">Output directory <code>").append(Fmt.esc(data.dir())).append("</code>: ")
            .append(data.cells().size()).append(" cells, ").append(totalSeeds(data.cells()))
            .append(" runs. Tables: <code>summary</code>, <code>curves</code>, <code>thresholds</code> ")
            .append("(docs/analysis.md); hover over a mark for its values.</p>\n");
        h.append("<div class=\"verdict ").append(data.verdict().contains("violated (> 3 SE) in 0") ? "ok" : "bad")
            .append("\" id=\"verdict\">").append(Fmt.esc(data.verdict())).append("</div>\n");
        h.append("<nav><a href=\"#heatmaps\">P(converge)</a> · <a href=\"#curves\">decay and survival</a> · ")
            .append("<a href=\"#rates\">rates</a> · <a href=\"#hitting\">hitting times</a> · ")
            .append("<a href=\"#thresholds\">thresholds</a> · <a href=\"#summary\">summary table</a></nav>\n");
        if (data.cells().isEmpty()) {
            h.append("<p>The summary is empty: no runs were found.</p>\n</body>\n</html>\n");
            return h.toString();
        }
        heatmaps(h, data);
        curves(h, data);
        rates(h, data);
        hitting(h, data);
        thresholds(h, data);
        summaryTable(h, data);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static long totalSeeds(List<Cell> cells) {
        long n = 0;
        for (Cell c : cells) {
            n += c.seeds();
        }
        return n;
    }

    // ---- P(converge) heat maps ------------------------------------------------------------

    private static void heatmaps(StringBuilder h, ReportData data) {
        h.append("<section id=\"heatmaps\"><h2>P(converge) over (alpha, Delta)</h2>\n")
            .append("<p>One map per (d, gamma, noise, K). Each square: the fraction of runs that converged ")
            .append("(argmax p(K) = 1 and dist(K) &le; tolerance) with its 95% Wilson interval below it; ")
            .append("a red frame marks a cell where the theorem's envelope was exceeded by more than 3 SE.</p>\n");
        h.append(colorBar()).append("<div class=\"grid\">\n");
        int n = 0;
        for (Map.Entry<String, List<Cell>> e : panels(data.cells()).entrySet()) {
            h.append(heatmap("hm" + n++, e.getKey(), e.getValue()));
        }
        h.append("</div></section>\n");
    }

    static String color(double p) {
        final double t = Math.max(0, Math.min(1, p)) * (VIRIDIS.length - 1);
        final int i = (int) Math.min(VIRIDIS.length - 2, Math.floor(t));
        final double f = t - i;
        final int[] a = rgb(VIRIDIS[i]);
        final int[] b = rgb(VIRIDIS[i + 1]);
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(a[0] + f * (b[0] - a[0])),
            Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2])));
    }

    private static int[] rgb(String hex) {
        return new int[] {Integer.parseInt(hex.substring(1, 3), 16), Integer.parseInt(hex.substring(3, 5), 16),
            Integer.parseInt(hex.substring(5, 7), 16)};
    }

    private static String colorBar() {
        final StringBuilder sb = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"330\" height=\"34\">");
        for (int i = 0; i < 50; i++) {
            sb.append("<rect x=\"").append(10 + i * 5).append("\" y=\"4\" width=\"5.5\" height=\"12\" fill=\"")
                .append(color(i / 49.0)).append("\"/>");
        }
        sb.append("<text x=\"10\" y=\"29\" class=\"tick\">0</text><text x=\"135\" y=\"29\" text-anchor=\"middle\" class=\"tick\">0.5</text>")
            .append("<text x=\"260\" y=\"29\" text-anchor=\"end\" class=\"tick\">1</text>")
            .append("<text x=\"268\" y=\"14\" class=\"tick\">P(converge)</text></svg>\n");
        return sb.toString();
    }

    private static String heatmap(String id, String title, List<Cell> cells) {
        final List<Double> alphas = new ArrayList<>(new TreeSet<>(cells.stream().map(Cell::alpha).toList()));
        final List<Double> deltas = new ArrayList<>(new TreeSet<>(cells.stream().map(Cell::delta).toList()));
        Collections.reverse(deltas); // largest Delta on top
        final int cw = 70;
        final int ch = 42;
        final int left = 58;
        final int top = 36;
        final int width = Math.max(left + cw * alphas.size() + 10, 300);
        final int height = top + ch * deltas.size() + 40;
        final StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(id).append("\" class=\"heatmap\" width=\"")
            .append(width).append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"P(converge) ")
            .append(Fmt.esc(title)).append("\">\n<title>").append(Fmt.esc(title)).append("</title>\n");
        final Cell first = cells.get(0);
        sb.append("<text x=\"4\" y=\"14\" class=\"ptitle\">d=").append(first.d()).append("  K=")
            .append(first.iterations()).append("  noise=").append(Fmt.esc(first.noiseLabel()))
            .append("</text><text x=\"4\" y=\"28\" class=\"ptitle\">gamma=").append(Fmt.esc(first.gammaLabel()))
            .append("</text>\n");
        for (int j = 0; j < deltas.size(); j++) {
            sb.append("<text x=\"").append(left - 5).append("\" y=\"").append(top + j * ch + ch / 2 + 4)
                .append("\" text-anchor=\"end\" class=\"tick\">").append(Fmt.g(deltas.get(j))).append("</text>");
        }
        for (int i = 0; i < alphas.size(); i++) {
            sb.append("<text x=\"").append(left + i * cw + cw / 2).append("\" y=\"").append(top + deltas.size() * ch + 14)
                .append("\" text-anchor=\"middle\" class=\"tick\">").append(Fmt.g(alphas.get(i))).append("</text>");
        }
        sb.append("<text x=\"").append(left + cw * alphas.size() / 2).append("\" y=\"").append(height - 6)
            .append("\" text-anchor=\"middle\" class=\"axlabel\">alpha</text>")
            .append("<text transform=\"translate(12,").append(top + ch * deltas.size() / 2)
            .append(") rotate(-90)\" text-anchor=\"middle\" class=\"axlabel\">Delta</text>\n");
        final List<Cell> bad = new ArrayList<>();
        for (Cell c : cells) {
            final int i = alphas.indexOf(c.alpha());
            final int j = deltas.indexOf(c.delta());
            final int x = left + i * cw;
            final int y = top + j * ch;
            final String fg = c.pConverge() > 0.55 ? "#000" : "#fff";
            sb.append("<g class=\"hcell\"><title>").append(Fmt.esc(c.describe())).append('\n')
                .append(Fmt.esc(String.format(Locale.ROOT, "P(converge) = %s, 95%% CI [%s, %s], %d runs",
                    Fmt.p(c.pConverge()), Fmt.p(c.pConvergeLo()), Fmt.p(c.pConvergeHi()), c.seeds())))
                .append('\n').append(Fmt.esc(String.format(Locale.ROOT, "P(Theta_K) = %s [%s, %s]; envelope: %s",
                    Fmt.p(c.pTheta()), Fmt.p(c.pThetaLo()), Fmt.p(c.pThetaHi()), holds(c))))
                .append("</title><rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(cw)
                .append("\" height=\"").append(ch).append("\" fill=\"").append(color(c.pConverge()))
                .append("\" stroke=\"#fff\"/>")
                .append("<text x=\"").append(x + cw / 2).append("\" y=\"").append(y + 18)
                .append("\" text-anchor=\"middle\" class=\"hval\" fill=\"").append(fg).append("\">")
                .append(Fmt.p(c.pConverge())).append("</text>")
                .append("<text x=\"").append(x + cw / 2).append("\" y=\"").append(y + 32)
                .append("\" text-anchor=\"middle\" class=\"hci\" fill=\"").append(fg).append("\">[")
                .append(Fmt.p(c.pConvergeLo()).substring(0, 4)).append(", ").append(Fmt.p(c.pConvergeHi()).substring(0, 4))
                .append("]</text></g>\n");
            if (Boolean.FALSE.equals(c.boundHolds())) {
                bad.add(c);
            }
        }
        for (Cell c : bad) {
            sb.append("<rect x=\"").append(left + alphas.indexOf(c.alpha()) * cw + 1.5).append("\" y=\"")
                .append(top + deltas.indexOf(c.delta()) * ch + 1.5).append("\" width=\"").append(cw - 3)
                .append("\" height=\"").append(ch - 3).append("\" fill=\"none\" stroke=\"#e00\" stroke-width=\"3\"/>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String holds(Cell c) {
        if (c.boundHolds() == null) {
            return "not checkable";
        }
        return (c.boundHolds() ? "held" : "EXCEEDED") + " (max ratio " + Fmt.g(c.boundMaxRatio()) + " at k="
            + c.boundWorstK() + ")";
    }

    // ---- decay against the envelope, and survival ------------------------------------------

    private static void curves(StringBuilder h, ReportData data) {
        h.append("<section id=\"curves\"><h2>Decay on Theta_K against the envelope, and survival of Theta_k</h2>\n")
            .append("<p>For up to ").append(CURVE_CELLS).append(" cells (those where the envelope was exceeded, or the ")
            .append("one with the largest ratio of estimate to envelope, then per (d, gamma, noise) the cell with the ")
            .append("median alpha and the largest Delta). Left: the estimate mean(dist(k) 1<sub>Theta_K</sub>) with a ")
            .append("&plusmn;2 SE band, the theorem's envelope 2(1 &minus; p<sub>1</sub>(0)) exp(&minus;alpha Delta&sup2; k / (16 d)) ")
            .append("and the mean-field curve, on a log scale (a zero estimate, every run having left Theta_K, leaves a gap). ")
            .append("Right: P(Theta_k), the fraction of runs whose margin stayed &ge; Delta/2 up to k, with its 95% Wilson band.</p>\n");
        final Map<String, Cell> byId = new LinkedHashMap<>();
        data.cells().forEach(c -> byId.put(c.cellId(), c));
        int n = 0;
        for (String id : chooseCurveCells(data.cells())) {
            final Cell c = byId.get(id);
            final List<CurvePoint> pts = data.curve(id);
            if (c == null || pts.isEmpty()) {
                continue;
            }
            h.append("<div class=\"pair\"><h3>").append(Fmt.esc(c.describe())).append("</h3>")
                .append("<p class=\"small\">P(converge) ").append(Fmt.p(c.pConverge())).append(", P(Theta_K) ")
                .append(Fmt.p(c.pTheta())).append(", rate fit ").append(Fmt.g(c.rateFit())).append(" &plusmn; ")
                .append(Fmt.g(c.rateFitSe())).append(" vs theory ").append(Fmt.g(c.rateTheory()))
                .append(", envelope ").append(Fmt.esc(holds(c))).append("</p>\n");
            h.append(decayPlot("dc" + n, c, pts)).append(survivalPlot("sv" + n, c, pts)).append("</div>\n");
            n++;
        }
        if (n == 0) {
            h.append("<p>No curves to show.</p>\n");
        }
        h.append("</section>\n");
    }

    static String decayPlot(String id, Cell c, List<CurvePoint> pts) {
        final int m = pts.size();
        final double[] k = new double[m];
        final double[] est = new double[m];
        final double[] lo = new double[m];
        final double[] hi = new double[m];
        final double[] env = new double[m];
        final double[] mf = new double[m];
        final List<Double> all = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            final CurvePoint p = pts.get(i);
            k[i] = p.k();
            est[i] = p.meanDistTheta();
            final double se = p.meanDistThetaSe() == null ? Double.NaN : p.meanDistThetaSe();
            lo[i] = est[i] - 2 * se;
            hi[i] = est[i] + 2 * se;
            env[i] = p.envelope() == null ? Double.NaN : p.envelope();
            mf[i] = p.mfDist() == null ? Double.NaN : p.mfDist();
            all.add(est[i]);
            all.add(Double.isNaN(hi[i]) ? null : hi[i]);
            all.add(p.envelope());
            all.add(p.mfDist());
        }
        Axis y = Axis.logFit(all, 1e-300);
        if (y == null) {
            y = Axis.log(1e-3, 1);
        }
        final Axis x = Axis.linear(0, Math.max(1, k[m - 1]));
        final String tip = c.describe();
        final Plot plot = new Plot(id, 560, 330, "mean dist(k)·1{Theta_K}, log scale", x, y, "k (output spikes)",
            "distance to e1");
        plot.band(k, lo, hi, "#1f77b4", 0.25, "±2 SE band")
            .line(k, env, "#d62728", "6 4", 2, "envelope 2(1-p1(0)) exp(-rate k), rate = " + Fmt.g(c.rateTheory()))
            .line(k, mf, "#2ca02c", "2 3", 2, "mean-field curve")
            .line(k, est, "#1f77b4", null, 2, "estimate: " + tip);
        for (int i = 0; i < m; i++) {
            final CurvePoint p = pts.get(i);
            plot.point(k[i], est[i], 2.2, "#1f77b4", String.format(Locale.ROOT,
                "k=%d: estimate %s ± %s (SE), envelope %s, mean field %s, mean dist (all runs) %s", p.k(),
                Fmt.g(p.meanDistTheta()), Fmt.g(p.meanDistThetaSe()), Fmt.g(p.envelope()), Fmt.g(p.mfDist()),
                Fmt.g(p.meanDist())));
        }
        plot.legend("estimate", "#1f77b4", null, false).legend("±2 SE", "#1f77b4", null, true)
            .legend("envelope (Thm 2.2)", "#d62728", "6 4", false).legend("mean field", "#2ca02c", "2 3", false)
            .legendBottomLeft();
        return plot.svg();
    }

    static String survivalPlot(String id, Cell c, List<CurvePoint> pts) {
        final int m = pts.size();
        final double[] k = new double[m];
        final double[] p = new double[m];
        final double[] lo = new double[m];
        final double[] hi = new double[m];
        for (int i = 0; i < m; i++) {
            k[i] = pts.get(i).k();
            p[i] = pts.get(i).pThetaK();
            lo[i] = pts.get(i).pThetaKLo();
            hi[i] = pts.get(i).pThetaKHi();
        }
        final Plot plot = new Plot(id, 420, 330, "survival P(Theta_k)", Axis.linear(0, Math.max(1, k[m - 1])),
            Axis.linear(0, 1.02), "k (output spikes)", "P(margin ≥ Delta/2 up to k)");
        plot.band(k, lo, hi, "#9467bd", 0.25, "95% Wilson band").line(k, p, "#9467bd", null, 2, "P(Theta_k)");
        for (int i = 0; i < m; i++) {
            plot.point(k[i], p[i], 2, "#9467bd", String.format(Locale.ROOT, "k=%d: P(Theta_k) = %s [%s, %s]",
                pts.get(i).k(), Fmt.p(p[i]), Fmt.p(lo[i]), Fmt.p(hi[i])));
        }
        plot.legend("P(Theta_k)", "#9467bd", null, false).legend("95% Wilson", "#9467bd", null, true).legendBottom();
        return plot.svg();
    }

    // ---- fitted against theoretical rate ---------------------------------------------------

    private static void rates(StringBuilder h, ReportData data) {
        h.append("<section id=\"rates\"><h2>Fitted against theoretical rate</h2>\n")
            .append("<p>Each point is a cell: the fitted decay rate of the estimate (negated OLS slope of its log ")
            .append("against k, bars &plusmn;2 SE) against alpha Delta&sup2; / (16 d). Points above the line y = x ")
            .append("decay faster than the theorem guarantees. Colour: d.</p>\n");
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        int omitted = 0;
        for (Cell c : data.cells()) {
            if (c.rateFit() != null && c.rateFit() > 0 && c.rateTheory() > 0) {
                xs.add(c.rateTheory());
                ys.add(c.rateFit());
            } else {
                omitted++;
            }
        }
        if (xs.isEmpty()) {
            h.append("<p>No cell has a positive fitted rate.</p></section>\n");
            return;
        }
        final List<Double> both = new ArrayList<>(xs);
        both.addAll(ys);
        final Axis axis = Axis.logFit(both, 1e-300);
        final Plot plot = new Plot("rates", 620, 480, "rate_fit against rate_theory (log-log)", axis, axis,
            "rate_theory = alpha Delta² / (16 d)", "rate_fit");
        plot.line(new double[] {axis.min, axis.max}, new double[] {axis.min, axis.max}, "#444", "5 4", 1.2, "y = x");
        final List<Integer> ds = new ArrayList<>(new TreeSet<>(data.cells().stream().map(Cell::d).toList()));
        for (Cell c : data.cells()) {
            if (c.rateFit() != null && c.rateFit() > 0 && c.rateTheory() > 0) {
                final String col = Plot.PALETTE[ds.indexOf(c.d()) % Plot.PALETTE.length];
                if (c.rateFitSe() != null) {
                    plot.errorBar(c.rateTheory(), c.rateFit() - 2 * c.rateFitSe(), c.rateFit() + 2 * c.rateFitSe(), col);
                }
                plot.point(c.rateTheory(), c.rateFit(), 3.5, col, c.describe() + "\nrate_fit " + Fmt.g(c.rateFit())
                    + " ± " + Fmt.g(c.rateFitSe()) + ", rate_theory " + Fmt.g(c.rateTheory()) + ", ratio "
                    + Fmt.g(c.rateRatio()));
            }
        }
        plot.legend("y = x", "#444", "5 4", false);
        for (int i = 0; i < ds.size() && i < 8; i++) {
            plot.legend("d = " + ds.get(i), Plot.PALETTE[i % Plot.PALETTE.length], null, false);
        }
        plot.legendBottom();
        h.append(plot.svg());
        if (omitted > 0) {
            h.append("<p class=\"small\">").append(omitted)
                .append(" cell(s) without a positive fitted rate (fewer than 3 fit points, or no decay) are not shown.</p>");
        }
        h.append("</section>\n");
    }

    // ---- alpha E[tau] against alpha ---------------------------------------------------------

    private static void hitting(StringBuilder h, ReportData data) {
        h.append("<section id=\"hitting\"><h2>alpha &middot; E[tau] against alpha</h2>\n")
            .append("<p>tau is the first k with dist(k) &le; 1e-3, averaged over the runs that reached it (their ")
            .append("fraction is in the tooltip). Under the 1/alpha scaling each line (an alpha series: fixed d, Delta, ")
            .append("gamma, noise) is flat; the legend gives the series' fitted log-log slope &plusmn; SE from ")
            .append("<code>thresholds</code> (&ge; 3 points needed). Log-log axes.</p>\n<div class=\"grid\">\n");
        int n = 0;
        for (Map.Entry<String, List<Cell>> e : panels(data.cells()).entrySet()) {
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (Cell c : e.getValue()) {
                if (c.alphaMeanHitTime() != null && c.alphaMeanHitTime() > 0) {
                    xs.add(c.alpha());
                    ys.add(c.alphaMeanHitTime());
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            final Plot plot = new Plot("ht" + n++, 400, 290, e.getKey(), Axis.logFit(xs, 1e-300),
                Axis.logFit(ys, 1e-300), "alpha", "alpha · E[tau]");
            final List<Double> deltas = new ArrayList<>(new TreeSet<>(e.getValue().stream().map(Cell::delta).toList()));
            for (int j = 0; j < deltas.size(); j++) {
                final double delta = deltas.get(j);
                final List<Cell> series = e.getValue().stream().filter(c -> c.delta() == delta
                    && c.alphaMeanHitTime() != null && c.alphaMeanHitTime() > 0)
                    .sorted((a, b) -> Double.compare(a.alpha(), b.alpha())).toList();
                if (series.isEmpty()) {
                    continue;
                }
                final String col = Plot.PALETTE[j % Plot.PALETTE.length];
                final double[] ax = series.stream().mapToDouble(Cell::alpha).toArray();
                final double[] ay = series.stream().mapToDouble(Cell::alphaMeanHitTime).toArray();
                String slope = "";
                for (Threshold t : data.thresholds()) {
                    if (t.contains(series.get(0))) {
                        slope = t.hitScalingSlope() == null ? ", slope -"
                            : String.format(Locale.ROOT, ", slope %.2g ± %.2g", t.hitScalingSlope(),
                                t.hitScalingSe() == null ? Double.NaN : t.hitScalingSe());
                    }
                }
                plot.line(ax, ay, col, null, 2, "Delta = " + Fmt.g(delta) + slope);
                for (Cell c : series) {
                    plot.point(c.alpha(), c.alphaMeanHitTime(), 3, col, c.describe() + "\nalpha E[tau] = "
                        + Fmt.g(c.alphaMeanHitTime()) + ", E[tau] = " + Fmt.g(c.meanHitTime()) + ", reached by "
                        + Fmt.p(c.hitFraction()) + " of runs");
                }
                plot.legend("Delta=" + Fmt.g(delta) + slope, col, null, false);
            }
            h.append(plot.svg()).append('\n');
        }
        if (n == 0) {
            h.append("<p>No cell has a mean hitting time.</p>\n");
        }
        h.append("</div></section>\n");
    }

    // ---- tables ----------------------------------------------------------------------------

    private static void thresholds(StringBuilder h, ReportData data) {
        h.append("<section id=\"thresholds\"><h2>Alpha series</h2>\n<p>Per series: the learning rate where ")
            .append("P(converge) crosses 1/2 (log interpolation; - when it does not cross inside the grid) and the ")
            .append("slope of ln(alpha E[tau]) on ln alpha.</p>\n<div class=\"scroll\"><table><thead><tr>");
        for (String s : new String[] {"d", "Delta", "gamma", "noise", "K", "cells", "alpha_cross",
            "hit_scaling_slope ± se"}) {
            h.append("<th>").append(s).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Threshold t : data.thresholds()) {
            final Cell probe = new Cell("", t.d(), 0, t.delta(), t.gamma(), t.rho(), t.blockSize(), t.noise(), t.q(),
                t.iterations(), 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, null, null, 0, null, null);
            h.append("<tr><td>").append(t.d()).append("</td><td>").append(Fmt.g(t.delta())).append("</td><td>")
                .append(Fmt.esc(probe.gammaLabel())).append("</td><td>").append(Fmt.esc(probe.noiseLabel()))
                .append("</td><td>").append(t.iterations()).append("</td><td>").append(t.cells()).append("</td><td>")
                .append(Fmt.g(t.alphaCross())).append("</td><td>").append(Fmt.g(t.hitScalingSlope())).append(" ± ")
                .append(Fmt.g(t.hitScalingSe())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static void summaryTable(StringBuilder h, ReportData data) {
        h.append("<section id=\"summary\"><h2>Summary</h2>\n<p>One row per cell (<code>summary</code> table). ")
            .append("Intervals are 95% Wilson; holds: the envelope check (NO = exceeded by more than 3 SE; - = not ")
            .append("checkable).</p>\n<div class=\"scroll\"><table id=\"summary-table\"><thead><tr>");
        for (String s : new String[] {"d", "gamma", "noise", "Delta", "alpha", "K", "runs", "P(converge) [95%]",
            "P(Theta_K) [95%]", "rate_fit ± se", "rate_theory", "ratio", "bound max ratio", "holds",
            "E[tau 1e-3]", "cell_id"}) {
            h.append("<th>").append(s).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Cell c : data.cells()) {
            final boolean bad = Boolean.FALSE.equals(c.boundHolds());
            h.append(bad ? "<tr class=\"bad\">" : "<tr>");
            for (String s : new String[] {String.valueOf(c.d()), c.gammaLabel(), c.noiseLabel(), Fmt.g(c.delta()),
                Fmt.g(c.alpha()), String.valueOf(c.iterations()), String.valueOf(c.seeds()),
                Fmt.p(c.pConverge()) + " [" + Fmt.p(c.pConvergeLo()) + ", " + Fmt.p(c.pConvergeHi()) + "]",
                Fmt.p(c.pTheta()) + " [" + Fmt.p(c.pThetaLo()) + ", " + Fmt.p(c.pThetaHi()) + "]",
                Fmt.g(c.rateFit()) + " ± " + Fmt.g(c.rateFitSe()), Fmt.g(c.rateTheory()), Fmt.g(c.rateRatio()),
                Fmt.g(c.boundMaxRatio()), c.boundHolds() == null ? "-" : c.boundHolds() ? "yes" : "NO",
                Fmt.g(c.meanHitTime()), c.cellId()}) {
                h.append("<td>").append(Fmt.esc(s)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div></section>\n");
    }

    private static final String CSS = String.join("\n",
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:20px 28px;color:#222;background:#fafafa}",
        "h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid #ccc}",
        "h3{font-size:14px;margin:10px 0 2px;font-weight:600}p{max-width:980px;line-height:1.4}",
        ".meta,.small{font-size:13px;color:#444}code{font-size:12px;background:#eee;padding:1px 3px}",
        ".verdict{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;padding:8px 10px;margin:10px 0;white-space:pre-wrap}",
        ".verdict.ok{background:#e6f4e6;border-left:5px solid #2a2}.verdict.bad{background:#fbe7e7;border-left:5px solid #d22}",
        "nav{font-size:13px;margin:6px 0 10px}",
        ".grid{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}.pair{margin-bottom:12px}",
        "svg{background:#fff;margin:2px 6px 2px 0}svg text{font-family:system-ui,Helvetica,Arial,sans-serif}",
        ".ptitle{font-size:12px;font-weight:600}.tick{font-size:10px;fill:#333}.axlabel{font-size:11px;fill:#222}",
        ".legend{font-size:10px;fill:#222}line.gl{stroke:#e6e6e6}",
        ".hval{font-size:12px;font-weight:600}.hci{font-size:9px}",
        ".scroll{max-height:600px;overflow:auto;border:1px solid #ddd;background:#fff}",
        "table{border-collapse:collapse;font-size:12px;font-variant-numeric:tabular-nums}",
        "th,td{padding:3px 7px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}",
        "th{position:sticky;top:0;background:#f0f0f0}tr.bad td{background:#fde2e2}", "");
}

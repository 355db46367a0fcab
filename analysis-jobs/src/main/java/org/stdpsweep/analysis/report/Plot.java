package org.stdpsweep.analysis.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One chart as inline SVG: a frame with ticks and labels on two {@link Axis axes}, and lines,
 * bands, points and error bars clipped to the plotting area. Elements may carry a
 * {@code <title>}, which browsers show as a tooltip.
 */
final class Plot {
    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private static final int LEFT = 62;
    private static final int RIGHT = 14;
    private static final int TOP = 30;
    private static final int BOTTOM = 44;

    private final String id;
    private final int width;
    private final int height;
    private final String title;
    private final Axis x;
    private final Axis y;
    private final String xLabel;
    private final String yLabel;
    private final StringBuilder body = new StringBuilder();
    private final List<String[]> legend = new ArrayList<>();
    private boolean legendBottom;
    private boolean legendLeft;

    /**
     * @param id a document-unique id (for the clip path)
     */
    Plot(String id, int width, int height, String title, Axis x, Axis y, String xLabel, String yLabel) {
        this.id = id;
        this.width = width;
        this.height = height;
        this.title = title;
        this.x = x;
        this.y = y;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    double px(double v) {
        return LEFT + x.frac(v) * (width - LEFT - RIGHT);
    }

    double py(double v) {
        return height - BOTTOM - y.frac(v) * (height - TOP - BOTTOM);
    }

    /**
     * A polyline through the points with a position on both axes; a point without one (NaN, or
     * not positive on a log axis) breaks the line.
     */
    Plot line(double[] xs, double[] ys, String color, String dash, double strokeWidth, String tooltip) {
        final StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < xs.length; i++) {
            final double a = px(xs[i]);
            final double b = py(ys[i]);
            if (Double.isNaN(a) || Double.isNaN(b)) {
                pen = false;
                continue;
            }
            d.append(pen ? " L" : " M").append(Fmt.c(a)).append(',').append(Fmt.c(b));
            pen = true;
        }
        if (d.length() == 0) {
            return this;
        }
        body.append("<path clip-path=\"url(#").append(id).append("-clip)\" fill=\"none\" stroke=\"").append(color)
            .append("\" stroke-width=\"").append(strokeWidth).append('"');
        if (dash != null) {
            body.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        body.append(" d=\"").append(d.toString().trim()).append("\">");
        title(tooltip);
        body.append("</path>\n");
        return this;
    }

    /**
     * A filled band between lo and hi over runs of consecutive points where both are defined
     * (edges outside the axis range, e.g. a negative lower edge on a log axis, are clamped to it).
     */
    Plot band(double[] xs, double[] lo, double[] hi, String color, double opacity, String tooltip) {
        int i = 0;
        while (i < xs.length) {
            while (i < xs.length && !bandOk(xs[i], lo[i], hi[i])) {
                i++;
            }
            final int start = i;
            while (i < xs.length && bandOk(xs[i], lo[i], hi[i])) {
                i++;
            }
            if (i - start >= 2) {
                final StringBuilder d = new StringBuilder();
                for (int j = start; j < i; j++) {
                    d.append(j == start ? "M" : " L").append(Fmt.c(px(xs[j]))).append(',')
                        .append(Fmt.c(py(y.clamp(hi[j]))));
                }
                for (int j = i - 1; j >= start; j--) {
                    d.append(" L").append(Fmt.c(px(xs[j]))).append(',').append(Fmt.c(py(y.clamp(lo[j]))));
                }
                body.append("<path clip-path=\"url(#").append(id).append("-clip)\" fill=\"").append(color)
                    .append("\" fill-opacity=\"").append(opacity).append("\" stroke=\"none\" d=\"").append(d)
                    .append(" Z\">");
                title(tooltip);
                body.append("</path>\n");
            }
        }
        return this;
    }

    private boolean bandOk(double xv, double lo, double hi) {
        return !Double.isNaN(px(xv)) && !Double.isNaN(lo) && !Double.isNaN(hi) && !Double.isNaN(py(y.clamp(hi)));
    }

    /** A point (circle) with a tooltip; nothing if it has no position. */
    Plot point(double xv, double yv, double r, String color, String tooltip) {
        final double a = px(xv);
        final double b = py(yv);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return this;
        }
        body.append("<circle clip-path=\"url(#").append(id).append("-clip)\" cx=\"").append(Fmt.c(a))
            .append("\" cy=\"").append(Fmt.c(b)).append("\" r=\"").append(r).append("\" fill=\"").append(color)
            .append("\" fill-opacity=\"0.8\" stroke=\"#222\" stroke-width=\"0.5\">");
        title(tooltip);
        body.append("</circle>\n");
        return this;
    }

    /** A vertical error bar from lo to hi at x (lo clamped to the axis). */
    Plot errorBar(double xv, double lo, double hi, String color) {
        final double a = px(xv);
        final double top = py(y.clamp(hi));
        final double bottom = py(y.clamp(lo));
        if (Double.isNaN(a) || Double.isNaN(top) || Double.isNaN(bottom) || !(hi > 0 || !y.log)) {
            return this;
        }
        body.append("<line clip-path=\"url(#").append(id).append("-clip)\" x1=\"").append(Fmt.c(a))
            .append("\" x2=\"").append(Fmt.c(a)).append("\" y1=\"").append(Fmt.c(top)).append("\" y2=\"")
            .append(Fmt.c(bottom)).append("\" stroke=\"").append(color).append("\" stroke-opacity=\"0.6\"/>\n");
        return this;
    }

    /** Adds a legend entry: a short line in the colour and dash, and the text. */
    Plot legend(String text, String color, String dash, boolean filled) {
        legend.add(new String[] {text, color, dash, filled ? "band" : "line"});
        return this;
    }

    /** Puts the legend in the lower right corner instead of the upper right. */
    Plot legendBottom() {
        legendBottom = true;
        return this;
    }

    /** Puts the legend in the lower left corner (where a decaying curve leaves room). */
    Plot legendBottomLeft() {
        legendBottom = true;
        legendLeft = true;
        return this;
    }

    private void title(String tooltip) {
        if (tooltip != null && !tooltip.isEmpty()) {
            body.append("<title>").append(Fmt.esc(tooltip)).append("</title>");
        }
    }

    String svg() {
        final int pw = width - LEFT - RIGHT;
        final int ph = height - TOP - BOTTOM;
        final StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"").append(width)
            .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
            .append(height).append("\" role=\"img\" aria-label=\"").append(Fmt.esc(title)).append("\">\n");
        sb.append("<defs><clipPath id=\"").append(id).append("-clip\"><rect x=\"").append(LEFT).append("\" y=\"")
            .append(TOP).append("\" width=\"").append(pw).append("\" height=\"").append(ph)
            .append("\"/></clipPath></defs>\n");
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(pw)
            .append("\" height=\"").append(ph).append("\" fill=\"#fff\" stroke=\"#999\"/>\n");
        sb.append("<text x=\"").append(LEFT).append("\" y=\"18\" class=\"ptitle\">").append(Fmt.esc(title))
            .append("</text>\n");
        for (Axis.Tick t : x.ticks()) {
            final double a = px(t.value());
            if (a < LEFT - 0.5 || a > width - RIGHT + 0.5) {
                continue;
            }
            sb.append("<line x1=\"").append(Fmt.c(a)).append("\" x2=\"").append(Fmt.c(a)).append("\" y1=\"")
                .append(TOP).append("\" y2=\"").append(height - BOTTOM).append("\" class=\"gl\"/>");
            sb.append("<text x=\"").append(Fmt.c(a)).append("\" y=\"").append(height - BOTTOM + 15)
                .append("\" text-anchor=\"middle\" class=\"tick\">").append(t.label()).append("</text>\n");
        }
        for (Axis.Tick t : y.ticks()) {
            final double b = py(t.value());
            if (b < TOP - 0.5 || b > height - BOTTOM + 0.5) {
                continue;
            }
            sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"")
                .append(Fmt.c(b)).append("\" y2=\"").append(Fmt.c(b)).append("\" class=\"gl\"/>");
            sb.append("<text x=\"").append(LEFT - 5).append("\" y=\"").append(Fmt.c(b + 4))
                .append("\" text-anchor=\"end\" class=\"tick\">").append(t.label()).append("</text>\n");
        }
        sb.append("<text x=\"").append(LEFT + pw / 2).append("\" y=\"").append(height - 8)
            .append("\" text-anchor=\"middle\" class=\"axlabel\">").append(Fmt.esc(xLabel)).append("</text>\n");
        sb.append("<text transform=\"translate(13,").append(TOP + ph / 2)
            .append(") rotate(-90)\" text-anchor=\"middle\" class=\"axlabel\">").append(Fmt.esc(yLabel))
            .append("</text>\n");
        sb.append(body);
        int ly = legendBottom ? height - BOTTOM - 8 - 14 * (legend.size() - 1) : TOP + 12;
        int longest = 0;
        for (String[] e : legend) {
            longest = Math.max(longest, e[0].length());
        }
        final int boxWidth = (int) Math.min(width - LEFT - RIGHT - 8, 34 + 5.6 * longest);
        final int boxX = legendLeft ? LEFT + 4 : width - RIGHT - boxWidth - 4;
        if (!legend.isEmpty()) {
            sb.append("<rect x=\"").append(boxX).append("\" y=\"").append(ly - 11)
                .append("\" width=\"").append(boxWidth).append("\" height=\"").append(14 * legend.size() + 4)
                .append("\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"#ddd\"/>\n");
        }
        for (String[] e : legend) {
            final int lx = boxX + 6;
            if ("band".equals(e[3])) {
                sb.append("<rect x=\"").append(lx).append("\" y=\"").append(ly - 6).append("\" width=\"22\" height=\"8\" fill=\"")
                    .append(e[1]).append("\" fill-opacity=\"0.3\"/>");
            } else {
                sb.append("<line x1=\"").append(lx).append("\" x2=\"").append(lx + 22).append("\" y1=\"").append(ly - 2)
                    .append("\" y2=\"").append(ly - 2).append("\" stroke=\"").append(e[1]).append("\" stroke-width=\"2\"");
                if (e[2] != null) {
                    sb.append(" stroke-dasharray=\"").append(e[2]).append('"');
                }
                sb.append("/>");
            }
            sb.append("<text x=\"").append(lx + 27).append("\" y=\"").append(ly + 2).append("\" class=\"legend\">")
                .append(Fmt.esc(e[0])).append("</text>\n");
            ly += 14;
        }
        sb.append("</svg>");
        return sb.toString();
    }
}

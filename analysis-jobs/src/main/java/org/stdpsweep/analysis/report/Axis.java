package org.stdpsweep.analysis.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear or base-10 logarithmic axis: maps a value to a fraction of the axis length and
 * chooses its ticks. On a log axis values that are not positive have no position (NaN).
 */
final class Axis {
    final boolean log;
    final double min;
    final double max;

    private Axis(boolean log, double min, double max) {
        this.log = log;
        this.min = min;
        this.max = max;
    }

    /** A linear axis over [min, max] (widened when empty). */
    static Axis linear(double min, double max) {
        if (!(max > min)) {
            final double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            return new Axis(false, min - pad, max + pad);
        }
        return new Axis(false, min, max);
    }

    /**
     * A log axis covering the positive values among {@code values} (those below {@code floor}
     * count as {@code floor}), padded either side by 4% of the span when it is two decades or
     * more, else by 15%. Null when no value is
     * positive and finite.
     */
    static Axis logFit(Iterable<Double> values, double floor) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Double v : values) {
            if (v != null && v > 0 && Double.isFinite(v)) {
                lo = Math.min(lo, Math.max(v, floor));
                hi = Math.max(hi, v);
            }
        }
        if (!(hi >= lo)) {
            return null;
        }
        final double l = Math.log10(lo);
        final double h = Math.log10(hi);
        // Room either side so that marks at the extremes are not cut in half by the frame.
        final double pad = h - l >= 2 ? 0.04 * (h - l) : Math.max(0.06, 0.15 * (h - l));
        return new Axis(true, Math.pow(10, l - pad), Math.pow(10, h + pad));
    }

    static Axis log(double min, double max) {
        return new Axis(true, min, max);
    }

    /** @return the position of v as a fraction of the axis (may lie outside [0, 1]); NaN if none */
    double frac(double v) {
        if (Double.isNaN(v)) {
            return Double.NaN;
        }
        if (log) {
            if (!(v > 0)) {
                return Double.NaN;
            }
            return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }
        return (v - min) / (max - min);
    }

    /** Clamps v into the axis range (for band edges that leave it, e.g. mean - 2 SE below 0 on a log axis). */
    double clamp(double v) {
        if (log && !(v > 0)) {
            return min;
        }
        return Math.max(min, Math.min(max, v));
    }

    /** A tick: value and SVG text content (may hold a superscript tspan). */
    record Tick(double value, String label) {
    }

    List<Tick> ticks() {
        final List<Tick> out = new ArrayList<>();
        if (log) {
            final int lo = (int) Math.ceil(Math.log10(min) - 1e-9);
            final int hi = (int) Math.floor(Math.log10(max) + 1e-9);
            if (hi - lo >= 1) {
                final int step = Math.max(1, (int) Math.ceil((hi - lo + 1) / 7.0));
                for (int e = lo; e <= hi; e++) {
                    if ((e - lo) % step == 0) {
                        out.add(new Tick(Math.pow(10, e), decade(e)));
                    }
                }
                return out;
            }
            // Less than a decade: 1, 2, 3, 5 multiples, or the ends.
            for (int e = lo - 1; e <= hi + 1; e++) {
                for (int m : new int[] {1, 2, 3, 5}) {
                    final double v = m * Math.pow(10, e);
                    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) {
                        out.add(new Tick(v, Fmt.g(v)));
                    }
                }
            }
            if (out.size() < 2) {
                out.clear();
                final double mid = Math.sqrt(min * max);
                for (double v : new double[] {min * 1.05, mid, max / 1.05}) {
                    final double r = round2(v);
                    out.add(new Tick(r, Fmt.g(r)));
                }
            }
            return out;
        }
        final double span = max - min;
        final double raw = span / 5;
        final double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        final double norm = raw / mag;
        final double step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
        for (double v = Math.ceil(min / step - 1e-9) * step; v <= max + 1e-9 * span; v += step) {
            final double r = Math.abs(v) < step * 1e-9 ? 0 : v;
            out.add(new Tick(r, Fmt.g(r)));
        }
        return out;
    }

    private static double round2(double v) {
        final double mag = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return Math.round(v / mag) * mag;
    }

    private static String decade(int e) {
        if (e == 0) {
            return "1";
        }
        if (e == 1) {
            return "10";
        }
        return "10<tspan dy=\"-6\" font-size=\"9\">" + (e < 0 ? "\u2212" + (-e) : String.valueOf(e)) + "</tspan>";
    }
}

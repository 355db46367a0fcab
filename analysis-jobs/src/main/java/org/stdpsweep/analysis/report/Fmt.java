package org.stdpsweep.analysis.report;

import java.util.Locale;

/** Number formatting and XML/HTML escaping for the report. */
final class Fmt {
    private Fmt() {
    }

    /** Up to 4 significant digits, no trailing zeros ({@code 0.05}, {@code 1.234e-05}); "-" for null. */
    static String g(Double v) {
        if (v == null) {
            return "-";
        }
        final double x = v;
        if (!Double.isFinite(x)) {
            return String.valueOf(x);
        }
        if (x == 0) {
            return "0";
        }
        final double ax = Math.abs(x);
        if (ax >= 1e-3 && ax < 1e6) {
            String s = String.format(Locale.ROOT, "%.4g", x);
            if (s.contains(".") && !s.contains("e")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.3e", x).replaceAll("\\.?0+e", "e");
    }

    /** Fixed 3 decimals, for probabilities; "-" for null. */
    static String p(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A coordinate: 2 decimals are sub-pixel. */
    static String c(double v) {
        final String s = String.format(Locale.ROOT, "%.2f", v);
        return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
    }

    /** Escapes text for an HTML/SVG text node or a double-quoted attribute. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        final StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            final char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}

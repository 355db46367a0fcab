package org.stdpsweep.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stdpsweep.analysis.report.ReportData.Cell;

/** The report's HTML without a browser: self-contained, well-formed SVG, every part present. */
class HtmlReportTest {
    private static final ReportData DATA = SyntheticReport.build();
    private static final String HTML = HtmlReport.render(DATA);

    @Test
    void loadsNothingFromAnywhere() {
        // The only URL is the SVG namespace name, which is never fetched.
        final String stripped = HTML.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for (String bad : new String[] {"http:", "https:", "//cdn", "<script", "<link", "<img", "<iframe", "@import",
            "src=", "@font-face"}) {
            assertFalse(stripped.toLowerCase().contains(bad), "the report must not contain " + bad);
        }
        final Matcher url = Pattern.compile("url\\(([^)]*)\\)").matcher(HTML);
        while (url.find()) {
            assertTrue(url.group(1).startsWith("#"), "only local references: " + url.group());
        }
    }

    @Test
    void everySvgIsWellFormedXmlAndIdsAreUnique() throws Exception {
        final Matcher m = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(HTML);
        int n = 0;
        final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        while (m.find()) {
            f.newDocumentBuilder().parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
            n++;
        }
        // 4 heat maps + colour bar + 5 x 2 curve plots + rates + 4 hitting-time panels
        assertEquals(4 + 1 + 10 + 1 + 4, n);
        final Set<String> ids = new HashSet<>();
        final Matcher id = Pattern.compile(" id=\"([^\"]+)\"").matcher(HTML);
        while (id.find()) {
            assertTrue(ids.add(id.group(1)), "duplicate id " + id.group(1));
        }
    }

    @Test
    void showsTheVerdictTheSummaryAndTheIntervals() {
        assertTrue(HTML.contains("violated (&gt; 3 SE) in 1: d=10 gamma=independent ... &lt;&amp;&quot;&#39;&gt;"));
        assertTrue(HTML.contains("/tmp/sweep &lt;test&gt; &amp; co"));
        final String table = HTML.substring(HTML.indexOf("<tbody>", HTML.indexOf("id=\"summary-table\"")));
        assertEquals(DATA.cells().size(), count(table.substring(0, table.indexOf("</tbody>")), "<tr"));
        for (Cell c : DATA.cells()) {
            assertTrue(HTML.contains("<td>" + c.cellId() + "</td>"), c.cellId());
            // the heat map square's tooltip carries the interval
            assertTrue(HTML.contains(String.format(java.util.Locale.ROOT, "P(converge) = %.3f, 95%% CI [%.3f, %.3f], %d runs",
                c.pConverge(), c.pConvergeLo(), c.pConvergeHi(), c.seeds())), c.cellId());
        }
        assertEquals(1, count(HTML, "stroke=\"#e00\""), "one red frame, around the violating cell");
        assertTrue(HTML.contains("<tr class=\"bad\">"));
        assertTrue(HTML.contains("cell(s) without a positive fitted rate"));
    }

    @Test
    void curveCellsPutViolationsFirstAndSpreadOverPanels() {
        final List<String> chosen = HtmlReport.chooseCurveCells(DATA.cells());
        assertEquals(1 + 4, chosen.size(), "the violation and the 4 panels' representatives");
        assertEquals(SyntheticReport.VIOLATING, chosen.get(0));
        assertEquals(chosen.size(), new HashSet<>(chosen).size());
        // 4 panels: each one's median-alpha, largest-Delta cell (alpha 0.05, Delta 0.2) is chosen
        long reps = DATA.cells().stream().filter(c -> chosen.contains(c.cellId()) && c.alpha() == 0.05
            && c.delta() == 0.2).count();
        assertEquals(4, reps);
        assertTrue(HtmlReport.chooseCurveCells(List.of()).isEmpty());
    }

    @Test
    void logAxisTicksAreDecadesOrMultiples() {
        final Axis wide = Axis.logFit(List.of(3e-17, 0.5), 1e-300);
        // 16.2 decades, padded by 4% of the span either side
        assertEquals(Math.log10(3e-17) - 0.04 * Math.log10(0.5 / 3e-17), Math.log10(wide.min), 1e-9);
        assertEquals(Math.log10(0.5) + 0.04 * Math.log10(0.5 / 3e-17), Math.log10(wide.max), 1e-9);
        assertTrue(wide.ticks().stream().allMatch(t -> t.value() >= wide.min && t.value() <= wide.max));
        assertTrue(wide.ticks().size() >= 3 && wide.ticks().size() <= 8, wide.ticks().toString());
        final Axis narrow = Axis.logFit(List.of(12.0, 31.0), 1e-300);
        assertTrue(narrow.min < 12 && narrow.max > 31);
        assertTrue(narrow.ticks().stream().anyMatch(t -> t.value() == 20.0), narrow.ticks().toString());
        assertEquals(Double.NaN, wide.frac(0.0));
        assertEquals(null, Axis.logFit(List.of(0.0, -1.0), 1e-300));
    }

    @Test
    void emptySummaryGivesAPageThatSaysSo() {
        final String html = HtmlReport.render(new ReportData("/x", "Theorem 2.2 envelope: 0 cells checked",
            List.of(), List.of(), List.of()));
        assertTrue(html.contains("no runs were found"));
        assertTrue(html.endsWith("</html>\n"));
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporary(@TempDir Path dir) throws Exception {
        final FileSystem fs = FileSystem.getLocal(new Configuration());
        final org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir.toString(), Report.FILE);
        Report.writeAtomically(fs, target, "old".getBytes(StandardCharsets.UTF_8));
        Report.writeAtomically(fs, target, HTML.getBytes(StandardCharsets.UTF_8));
        assertEquals(HTML, Files.readString(dir.resolve(Report.FILE)));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(Report.FILE)), s.toList(), "no temporary or checksum file left");
        }
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}

package org.stdpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stdpsweep.kernel.CoFiring;
import org.stdpsweep.kernel.Noise;

/**
 * Runs {@link AnalysisJobs#run} once over a fixture of kernel cells and hand-made cells, then
 * checks every output column against {@link Expected}, an independent plain-Java recomputation.
 */
class AnalysisJobsTest {
    private static SparkSession spark;
    private static Path root;
    private static String dir;
    private static Fixture fixture;
    private static AnalysisResult result;

    static final String COMPLIANT = "0012345678901234";   // numeric-looking: partition inference would drop the zeros
    static final String VIOLATION = "1e10000000000000";   // would be inferred as a double (Infinity)
    static final String WITHIN = "00000000000000ab";
    static final String ALL_LEFT = "abcdefabcdefabcd";
    static final String SINGLE = "5555555555555555";
    static final String UNDERFLOW = "0000000000000099";
    static final double[] SERIES_ALPHAS = {0.01, 0.02, 0.04, 0.08, 0.16};
    static final int[] SERIES_CONVERGED = {10, 8, 6, 3, 1};

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("analysis-jobs-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "localhost")
            .getOrCreate();
        root = Files.createTempDirectory("analysis-jobs-test");
        dir = root.resolve("sweep").toString();
        fixture = buildFixture();
        fixture.write(spark, dir);
        // A stale table from an earlier analysis, which the run must replace whole.
        Files.createDirectories(Path.of(dir, "summary"));
        Files.writeString(Path.of(dir, "summary", "stale.txt"), "stale");
        result = AnalysisJobs.run(spark, dir);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (spark != null) {
            spark.stop();
        }
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    static Fixture buildFixture() {
        final Fixture f = new Fixture();
        // Realistic cells from the kernel: two alpha series.
        for (double alpha : new double[] {0.05, 0.2, 0.8}) {
            f.kernel(Fixture.params(2, alpha, 0.2, CoFiring.independent(2), Noise.uniform(0.5), 3000).build(), 7L, 30);
        }
        for (double alpha : new double[] {0.1, 0.4, 0.9}) {
            f.kernel(Fixture.params(5, alpha, 0.2, CoFiring.equicorrelated(5, 0.3), Noise.rademacher(0.5), 3000)
                .build(), 11L, 30);
        }
        // Hand-made envelope cases: d = 2, Delta = 0.2, K = 100; distinct alphas form one series.
        final int[] ks = {0, 1, 3, 10, 30, 100};
        final Fixture.Cell compliant = f.synthetic(COMPLIANT, 2, 0.5, 0.2, 100, ks);
        for (int i = 0; i < 5; i++) {
            final double s = 1 - 0.1 * i;
            Fixture.run(compliant, true, null, 40 + i, 1, 0.95 * s, 0.8 * s, 0.5 * s, 0.2 * s, 0.01 * s);
        }
        final Fixture.Cell violation = f.synthetic(VIOLATION, 2, 0.51, 0.2, 100, ks);
        final double[] high = {2.0, 2.1, 1.9, 2.05, 1.95};
        for (int i = 0; i < 5; i++) {
            Fixture.run(violation, true, null, 50, 1, 0.9, 0.9, high[i], 0.5, 0.3);
        }
        final Fixture.Cell within = f.synthetic(WITHIN, 2, 0.52, 0.2, 100, ks);
        final double[] noisy = {0.1, 0.2, 3.0, 0.3, 2.0};
        for (int i = 0; i < 5; i++) {
            Fixture.run(within, i != 2, null, null, 1, 0.9, 0.8, noisy[i], 0.1, 0.05);
        }
        final Fixture.Cell allLeft = f.synthetic(ALL_LEFT, 2, 0.53, 0.2, 100, ks);
        for (int i = 0; i < 4; i++) {
            Fixture.run(allLeft, false, 2 + i, null, 1, 1.1, 1.3, 1.5, 1.6, 1.7);
        }
        final Fixture.Cell single = f.synthetic(SINGLE, 2, 0.54, 0.2, 100, ks);
        Fixture.run(single, true, null, 30, 1, 0.9, 0.7, 0.4, 0.1, 0.001);
        // Envelope underflows to 0 at k = 1e5 while absorbed runs carry dist frozen at 1e-251.
        final Fixture.Cell underflow = f.synthetic(UNDERFLOW, 2, 0.9, 0.99, 100000, 0, 10, 100, 1000, 10000, 100000);
        for (int i = 0; i < 3; i++) {
            final Fixture.Run r = Fixture.run(underflow, true, null, 200 + i, 1, 0.9, 0.7, 0.5, 0.4 + 0.1 * i, 0);
            r.dist[5] = 1e-251;
        }
        // A monotone p_converge series for the crossing: d = 4, Delta = 0.5, 10 runs per alpha.
        for (int a = 0; a < SERIES_ALPHAS.length; a++) {
            final Fixture.Cell c = f.synthetic(String.format("%016x", 0xA000 + a), 4, SERIES_ALPHAS[a], 0.5, 100,
                0, 1, 10, 100);
            for (int i = 0; i < 10; i++) {
                final int hit = (int) Math.round(50 / Math.pow(SERIES_ALPHAS[a], 0.8) * (1 + 0.05 * (i % 3 - 1)));
                Fixture.run(c, i < SERIES_CONVERGED[a], null, hit, 1, 0.9, 0.5 - 0.01 * i, 0.2);
            }
        }
        return f;
    }

    static Fixture.Cell cell(String id) {
        return fixture.cells.stream().filter(c -> c.id.equals(id)).findFirst().orElseThrow();
    }

    static Row summaryRow(String id) {
        final Row r = result.cell(id);
        assertNotNull(r, "no summary row for cell " + id);
        return r;
    }

    static double tolerance(String column) {
        switch (column) {
            case "rate_fit_se":
            case "rate_fit_r2":
            case "hit_scaling_se":
                return 1e-6;
            default:
                return 1e-9;
        }
    }

    @Test
    void summaryMatchesIndependentRecomputation() {
        assertEquals(fixture.cells.size(), result.summary().size());
        final List<String> problems = new ArrayList<>();
        for (Fixture.Cell c : fixture.cells) {
            final Map<String, Object> expected = Expected.summary(c);
            final Row actual = summaryRow(c.id);
            assertEquals(Arrays.asList(SummaryJob.COLUMNS), Arrays.asList(actual.schema().fieldNames()));
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                final String m = Expected.mismatch(c.id + "." + e.getKey(), e.getValue(), actual.getAs(e.getKey()),
                    tolerance(e.getKey()));
                if (m != null) {
                    problems.add(m);
                }
            }
            assertEquals(expected.keySet().size(), SummaryJob.COLUMNS.length, "every column is recomputed");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void summaryOnDiskHasTheContractColumns() {
        final List<String> names = Arrays.asList(spark.read().parquet(dir + "/summary").schema().fieldNames());
        for (String c : new String[] {"alpha", "delta", "d", "gamma", "rho", "noise", "q", "iterations", "seeds",
            "p_converge", "p_converge_lo", "p_converge_hi", "p_theta", "p_theta_lo", "p_theta_hi", "rate_theory",
            "rate_fit", "rate_fit_se", "rate_ratio", "bound_max_ratio", "bound_holds", "mean_hit_time",
            "hit_fraction", "cell_id", "block_size"}) {
            assertTrue(names.contains(c), "summary lacks " + c);
        }
        assertEquals(fixture.cells.size(), spark.read().parquet(dir + "/summary").count());
    }

    @Test
    void curvesMatchIndependentRecomputation() {
        final Map<String, Row> byKey = new HashMap<>();
        for (Row r : spark.read().parquet(dir + "/curves").collectAsList()) {
            byKey.put(r.getAs("cell_id") + "/" + r.getAs("k"), r);
        }
        int expectedRows = 0;
        final List<String> problems = new ArrayList<>();
        for (Fixture.Cell c : fixture.cells) {
            for (Map<String, Object> e : Expected.curves(c)) {
                expectedRows++;
                final Row actual = byKey.get(c.id + "/" + e.get("k"));
                assertNotNull(actual, "no curve row for " + c.id + " k=" + e.get("k"));
                for (Map.Entry<String, Object> x : e.entrySet()) {
                    // a mean of margins of both signs cancels: compare it on the scale of the margins (<= 1)
                    final double abs = x.getKey().equals("mean_margin") ? 1e-12 : 1e-300;
                    final String m = Expected.mismatch(c.id + "@" + e.get("k") + "." + x.getKey(), x.getValue(),
                        actual.getAs(x.getKey()), tolerance(x.getKey()), abs);
                    if (m != null) {
                        problems.add(m);
                    }
                }
            }
        }
        assertEquals(expectedRows, byKey.size());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void thresholdsMatchIndependentRecomputation() {
        final Map<List<Object>, Map<String, Object>> expected = Expected.thresholds(fixture.cells);
        assertEquals(expected.size(), result.thresholds().size());
        final List<String> problems = new ArrayList<>();
        for (Row r : result.thresholds()) {
            final List<Object> key = Arrays.asList(r.getAs("d"), r.getAs("delta"), r.getAs("gamma"), r.getAs("rho"),
                r.getAs("block_size"), r.getAs("noise"), r.getAs("q"), r.getAs("iterations"));
            final Map<String, Object> e = expected.get(key);
            assertNotNull(e, "unexpected series " + key);
            for (Map.Entry<String, Object> x : e.entrySet()) {
                final String m = Expected.mismatch(key + "." + x.getKey(), x.getValue(), r.getAs(x.getKey()),
                    tolerance(x.getKey()));
                if (m != null) {
                    problems.add(m);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void crossingAlphaIsTheLogInterpolation() {
        final Row series = seriesRow(4, 0.5);
        // p = 0.6 at alpha 0.04 and 0.3 at 0.08: log a* = log 0.04 + (0.1 / 0.3) log 2.
        assertEquals(0.04 * Math.pow(2, 1.0 / 3), (Double) series.getAs("alpha_cross"), 1e-12);
        assertEquals(0.04, (Double) series.getAs("alpha_cross_below"), 0);
        assertEquals(0.08, (Double) series.getAs("alpha_cross_above"), 0);
        // mean hit time ~ 50 alpha^-0.8, so alpha * E[tau] ~ alpha^0.2.
        assertEquals(0.2, (Double) series.getAs("hit_scaling_slope"), 0.01);
        assertEquals(5L, (Long) series.getAs("hit_scaling_points"));
    }

    @Test
    void noCrossingGivesNull() {
        // The synthetic d = 2 envelope series: p_converge 1, 1, 0.8, 0, 1, 1 in alpha order: crosses at 0.53.
        final Row envelopeSeries = seriesRow(2, 0.2);
        assertEquals(0.52, (Double) envelopeSeries.getAs("alpha_cross_below"), 0);
        assertEquals(0.52 * Math.exp((0.8 - 0.5) / 0.8 * Math.log(0.53 / 0.52)),
            (Double) envelopeSeries.getAs("alpha_cross"), 1e-12);
        // the underflow cell is alone in its series: no crossing, too few points for a slope.
        final Row alone = seriesRow(2, 0.99);
        assertNull(alone.getAs("alpha_cross"));
        assertNull(alone.getAs("hit_scaling_slope"));
        assertNull(alone.getAs("hit_scaling_se"));
    }

    static Row seriesRow(int d, double delta) {
        return result.thresholds().stream()
            .filter(r -> (Integer) r.getAs("d") == d && (Double) r.getAs("delta") == delta
                && "independent".equals(r.getAs("gamma")) && "none".equals(r.getAs("noise")))
            .findFirst().orElseThrow();
    }

    @Test
    void rateFitAgreesWithSimpleRegression() {
        int fitted = 0;
        for (Fixture.Cell c : fixture.cells) {
            final double[][] pts = Expected.fitPoints(c);
            final Row r = summaryRow(c.id);
            if (pts.length < 3) {
                assertNull(r.getAs("rate_fit"), c.id);
                assertNull(r.getAs("rate_fit_se"), c.id);
                continue;
            }
            final SimpleRegression reg = new SimpleRegression();
            for (double[] p : pts) {
                reg.addData(p[0], p[1]);
            }
            assertEquals(-reg.getSlope(), (Double) r.getAs("rate_fit"), 1e-9 * Math.abs(reg.getSlope()), c.id);
            assertEquals(reg.getSlopeStdErr(), (Double) r.getAs("rate_fit_se"), 1e-6 * reg.getSlopeStdErr() + 1e-15,
                c.id);
            fitted++;
        }
        assertTrue(fitted >= 6, "kernel cells must give rate fits");
    }

    @Test
    void envelopeViolationIsFlagged() {
        final Row r = summaryRow(VIOLATION);
        assertEquals(Boolean.FALSE, r.getAs("bound_holds"));
        assertEquals(1L, (Long) r.getAs("bound_violations"));
        assertEquals(10, (Integer) r.getAs("bound_worst_k"));
        assertEquals(2.0, (Double) r.getAs("bound_max_ratio"), 1e-12);
        assertTrue(result.verdict().contains("d=2 gamma=independent rho=0.000 noise=none q=0.000 delta=0.2000 alpha=0.5100"),
            result.verdict());
        assertEquals(1, result.violations().size());
    }

    @Test
    void exceedanceWithinThreeStandardErrorsHolds() {
        final Row r = summaryRow(WITHIN);
        assertEquals(Boolean.TRUE, r.getAs("bound_holds"));
        assertEquals(1.12, (Double) r.getAs("bound_max_ratio"), 1e-12);
        assertTrue((Double) r.getAs("bound_max_z") > 0 && (Double) r.getAs("bound_max_z") < 3);
    }

    @Test
    void compliantCellHolds() {
        final Row r = summaryRow(COMPLIANT);
        assertEquals(Boolean.TRUE, r.getAs("bound_holds"));
        assertEquals(6L, (Long) r.getAs("bound_checked_points"));
        // at k = 0 every run has dist(0) = 2 (1 - p_1(0)) exactly: ratio 1 up to rounding, SE 0, not a violation
        assertEquals(1.0, (Double) r.getAs("bound_max_ratio"), 1e-12);
        // A regression check on the pinned seeds, not a consequence of the theorem: these kernel
        // cells have alpha >= 0.05, outside its learning-rate condition alpha <~ Delta^2 / (16 Q^2),
        // but the envelope's rate alpha Delta^2 / (16 d) is far slower than their decay.
        for (Fixture.Cell c : fixture.cells) {
            if (c.gamma.equals("independent") || c.gamma.equals("equicorrelated")) {
                if (c.id.length() == 16 && !c.id.equals(VIOLATION)) {
                    assertFalse(Boolean.FALSE.equals(summaryRow(c.id).getAs("bound_holds")), c.id);
                }
            }
        }
    }

    @Test
    void everyRunLeavingThetaGivesNullRates() {
        final Row r = summaryRow(ALL_LEFT);
        assertEquals(0.0, (Double) r.getAs("p_theta"), 0);
        for (String c : new String[] {"rate_fit", "rate_fit_se", "rate_ratio", "rate_fit_r2", "mean_hit_time"}) {
            assertTrue(r.isNullAt(r.fieldIndex(c)), c + " must be null, is " + r.getAs(c));
        }
        assertEquals(0L, (Long) r.getAs("rate_fit_points"));
        assertEquals(Boolean.TRUE, r.getAs("bound_holds"));
        assertEquals(0.0, (Double) r.getAs("hit_fraction"), 0);
    }

    @Test
    void singleRunCellIsNotCheckable() {
        final Row r = summaryRow(SINGLE);
        assertNull(r.getAs("bound_holds"));
        assertEquals(0L, (Long) r.getAs("bound_checked_points"));
        assertNotNull(r.getAs("rate_fit"));
        assertTrue(result.envelopeVerdict().endsWith("not checkable (fewer than 2 runs): 1"), result.verdict());
    }

    @Test
    void underflowedEnvelopeAndFrozenAbsorbedValuesAreNotChecked() {
        final Row r = summaryRow(UNDERFLOW);
        assertEquals(Boolean.TRUE, r.getAs("bound_holds"));
        assertEquals(5L, (Long) r.getAs("bound_checked_points"));
        assertEquals(5L, (Long) r.getAs("rate_fit_points"));
        final Row last = spark.read().parquet(dir + "/curves")
            .where("cell_id = '" + UNDERFLOW + "' and k = 100000").first();
        assertEquals(0.0, (Double) last.getAs("envelope"), 0);
        assertNull(last.getAs("envelope_ratio"));
        assertEquals(Boolean.FALSE, last.getAs("bound_checked"));
        assertNull(last.getAs("exceeds"));
    }

    @Test
    void cellIdsKeepTheirSpelling() {
        final List<String> ids = new ArrayList<>();
        for (Row r : result.summary()) {
            ids.add(r.getAs("cell_id"));
        }
        assertTrue(ids.contains(COMPLIANT) && ids.contains(VIOLATION) && ids.contains(UNDERFLOW), ids.toString());
    }

    /** When every id of a table looks like a number, Spark alone would infer bigint and drop zeros. */
    @Test
    void numericLookingCellIdsAreReadAsStrings() {
        final String path = root.resolve("numeric-ids").toString();
        final StructType schema = new StructType().add("cell_id", DataTypes.StringType)
            .add("d", DataTypes.IntegerType).add("x", DataTypes.DoubleType);
        spark.createDataFrame(List.of(RowFactory.create(COMPLIANT, 3, 1.0), RowFactory.create("0000000000000099", 3, 2.0)),
            schema).write().partitionBy("d", "cell_id").parquet(path);
        assertEquals(DataTypes.LongType, spark.read().parquet(path).schema().apply("cell_id").dataType(),
            "premise: Spark's own inference reads these ids as numbers");
        final List<Row> rows = Inputs.readPartitioned(spark, path).orderBy("cell_id").collectAsList();
        assertEquals("0000000000000099", rows.get(0).getAs("cell_id"));
        assertEquals(COMPLIANT, rows.get(1).getAs("cell_id"));
        assertEquals(3, (Integer) rows.get(0).getAs("d"));
    }

    @Test
    void consoleTableHasAHeaderAndALinePerCell() {
        final String[] lines = result.consoleTable().split("\\R");
        assertEquals(fixture.cells.size() + 1, lines.length);
        assertTrue(lines[0].trim().startsWith("d  gamma"), lines[0]);
        final int width = lines[0].length();
        for (String line : lines) {
            assertEquals(width, line.length(), "fixed width:\n" + result.consoleTable());
        }
        assertTrue(result.verdict().startsWith("Theorem 2.2 envelope: " + (fixture.cells.size() - 1)
            + " cells checked, held in " + (fixture.cells.size() - 2) + ", violated (> 3 SE) in 1:"), result.verdict());
        System.out.println(result.consoleTable());
        System.out.println(result.verdict());
    }

    @Test
    void theRunWritesTheReportAndTheVerdictNamesIt() throws IOException {
        final Path report = Path.of(dir, "report.html");
        assertTrue(Files.isRegularFile(report));
        assertEquals(report.toString(), result.report());
        final String[] lines = result.verdict().split("\\R");
        assertEquals(2, lines.length, result.verdict());
        assertEquals(result.envelopeVerdict(), lines[0]);
        assertEquals("report: " + report, lines[1]);
        final String html = Files.readString(report);
        for (Row r : result.summary()) {
            assertTrue(html.contains("<td>" + r.getAs("cell_id") + "</td>"), (String) r.getAs("cell_id"));
        }
        assertTrue(html.contains("violated (&gt; 3 SE) in 1"), "the verdict heads the report");
        // the violating cell's curves are plotted
        assertTrue(html.contains("(" + VIOLATION + ")</h3>"), "curves of the violating cell");
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("report.html.")), "no temporary left");
        }
    }

    @Test
    void summaryIsSortedForTheConsole() {
        final List<Row> rows = result.summary();
        for (int i = 1; i < rows.size(); i++) {
            final Row a = rows.get(i - 1);
            final Row b = rows.get(i);
            final int cmp = Comparator.<Row, Integer>comparing(r -> r.getAs("d"))
                .thenComparing(r -> (String) r.getAs("gamma"))
                .thenComparing(r -> (Double) r.getAs("rho"))
                .thenComparing(r -> (Integer) r.getAs("block_size"))
                .thenComparing(r -> (String) r.getAs("noise"))
                .thenComparing(r -> (Double) r.getAs("q"))
                .thenComparing(r -> (Double) r.getAs("delta"))
                .thenComparing(r -> (Double) r.getAs("alpha")).compare(a, b);
            assertTrue(cmp <= 0, "out of order at " + i);
        }
    }

    /** setUp left a stale DIR/summary before the run: it was moved aside, replaced and deleted. */
    @Test
    void existingTablesAreReplacedAndNoTemporariesRemain() throws IOException {
        assertFalse(Files.exists(Path.of(dir, "summary", "stale.txt")), "the stale summary must be gone");
        assertNoTemporaries(Path.of(dir));
        assertEquals(fixture.cells.size(), spark.read().parquet(dir + "/summary").count());
        assertEquals(result.summary().size(), spark.read().parquet(dir + "/summary").count());
    }

    @Test
    void failureLeavesPreviousTablesAndNoTemporaries() throws IOException {
        final Path broken = root.resolve("broken");
        final Fixture f = new Fixture();
        for (String id : new String[] {"1111111111111111", "2222222222222222"}) {
            final Fixture.Cell c = f.synthetic(id, 2, 0.5, 0.2, 10, 0, 1, 10);
            Fixture.run(c, true, null, 5, 1, 0.5, 0.2);
            Fixture.run(c, true, null, 6, 1, 0.4, 0.1);
        }
        f.write(spark, broken.toString());
        // One cell's checkpoints written with dist as boolean: the scan fails while jobs run.
        final Path bad = broken.resolve("checkpoints/d=2/cell_id=2222222222222222");
        try (Stream<Path> walk = Files.walk(bad)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        final StructType schema = new StructType().add("replicate", DataTypes.LongType)
            .add("k", DataTypes.IntegerType).add("dist", DataTypes.BooleanType).add("margin", DataTypes.DoubleType);
        spark.createDataFrame(List.of(RowFactory.create(0L, 0, true, 0.5), RowFactory.create(1L, 0, true, 0.5)), schema)
            .coalesce(1).write().parquet(bad.toString());
        final Path previous = broken.resolve("summary");
        Files.createDirectories(previous);
        Files.writeString(previous.resolve("previous.txt"), "old");

        assertThrows(Exception.class, () -> AnalysisJobs.run(spark, broken.toString()));
        assertTrue(Files.exists(previous.resolve("previous.txt")), "the previous summary must survive");
        assertFalse(Files.exists(broken.resolve("curves")));
        assertNoTemporaries(broken);
    }

    static void assertNoTemporaries(Path d) throws IOException {
        try (Stream<Path> list = Files.list(d)) {
            final List<String> hidden = list.map(p -> p.getFileName().toString())
                .filter(n -> n.contains(".tmp-") || n.contains(".old-")).toList();
            assertTrue(hidden.isEmpty(), hidden.toString());
        }
    }
}

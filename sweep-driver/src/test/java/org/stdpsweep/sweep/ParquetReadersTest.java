package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stdpsweep.analysis.AnalysisJobs;
import org.stdpsweep.analysis.AnalysisResult;
import org.stdpsweep.sweep.config.SweepSpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tiny real sweep and its analysis, read back without Spark: DuckDB opens every table
 * (row counts, plain types, string cell ids), the notebook {@code notebooks/theorem22.ipynb}
 * is valid nbformat 4 and its queries, mirrored as DuckDB SQL on its {@code # sql[name]:}
 * lines, give sensible answers; every code cell of the notebook runs on the sweep's output (with one
 * substitution, see {@link #notebookExecutesOnTheSweep}); the run wrote {@code DIR/report.html} and names it.
 */
class ParquetReadersTest {
    static final Path NOTEBOOK = Path.of("..", "notebooks", "theorem22.ipynb");
    static final String[] TABLES = {"runs", "checkpoints", "cells", "summary", "curves", "thresholds"};
    static final Pattern SQL_LINE = Pattern.compile("^# sql\\[(\\w+)\\]: (.+)$", Pattern.MULTILINE);
    static final Pattern READS = Pattern.compile("pd\\.read_parquet\\(f\"\\{DIR\\}/(\\w+)\"");
    /** Debian's interpreter, with Debian's python3-pandas and python3-matplotlib (no pyarrow there). */
    static final String PYTHON = "/usr/bin/python3";
    static final Path RUNNER = Path.of("..", "notebooks", "run_notebook.py");
    /** Kept after the build for a look at the figures. */
    static final Path EXEC_OUT = Path.of("target", "notebook-exec");

    private static SparkSession spark;
    private static SweepSpec spec;
    private static Path dir;
    private static AnalysisResult result;
    /** Rows each table must have. */
    private static final Map<String, Long> sparkCounts = new HashMap<>();
    private static Connection duck;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        final long t0 = System.nanoTime();
        spark = SparkTestSupport.local(2);
        // 2 alpha x 2 d = 4 cells of 12 runs: small, since Spark's fixed costs dominate
        spec = SparkTestSupport.spec("grid.gamma=[\"independent\"]", "grid.noise=[\"uniform:0.5\"]");
        dir = tmp.resolve("sweep");
        final long t1 = System.nanoTime();
        SparkTestSupport.run(spark, spec, dir);
        final long t2 = System.nanoTime();
        result = AnalysisJobs.run(spark, dir.toString());
        final long t3 = System.nanoTime();
        // Row counts the driver and the analysis promise (docs/output-schema.md, docs/analysis.md).
        final long cells = spec.cells().size();
        final long checkpoints = spec.cells().get(0).params().checkpoints().length;
        sparkCounts.put("runs", cells * spec.replicates());
        sparkCounts.put("checkpoints", cells * spec.replicates() * checkpoints);
        sparkCounts.put("cells", cells);
        sparkCounts.put("summary", cells);
        sparkCounts.put("curves", cells * checkpoints);
        sparkCounts.put("thresholds", (long) result.thresholds().size());
        duck = DriverManager.getConnection("jdbc:duckdb:");
        System.out.printf("ParquetReadersTest: Spark start %.1f s, sweep %.1f s, analysis %.1f s, DuckDB %.1f s%n",
            (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (System.nanoTime() - t3) / 1e9);
    }

    @AfterAll
    static void stop() throws SQLException {
        if (duck != null) {
            duck.close();
        }
        if (spark != null) {
            spark.stop();
        }
    }

    static String scan(String table) {
        return "read_parquet('" + dir.resolve(table) + "/**/*.parquet', hive_partitioning = true)";
    }

    static List<Map<String, Object>> query(String sql) throws SQLException {
        final List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            final ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                final Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static double num(Map<String, Object> row, String col) {
        return ((Number) row.get(col)).doubleValue();
    }

    @Test
    void everyTableOpensWithoutSparkWithPlainTypes() throws SQLException {
        final Pattern plain = Pattern.compile("(VARCHAR|BOOLEAN|INTEGER|BIGINT|DOUBLE)(\\[\\])?");
        for (String t : TABLES) {
            assertTrue(sparkCounts.get(t) > 0, t);
            assertEquals(sparkCounts.get(t), num(query("SELECT count(*) AS n FROM " + scan(t)).get(0), "n"), 0,
                t + ": DuckDB counts the rows the sweep wrote");
            final Map<String, String> types = new LinkedHashMap<>();
            for (Map<String, Object> r : query("DESCRIBE SELECT * FROM " + scan(t))) {
                types.put((String) r.get("column_name"), (String) r.get("column_type"));
            }
            for (Map.Entry<String, String> e : types.entrySet()) {
                assertTrue(plain.matcher(e.getValue()).matches(), t + "." + e.getKey() + " has type " + e.getValue());
            }
            if (!"thresholds".equals(t)) {
                assertEquals("VARCHAR", types.get("cell_id"), t + ": cell_id stays a string");
            }
            final List<Map<String, Object>> physical = query("SELECT DISTINCT type FROM parquet_schema('"
                + dir.resolve(t) + "/**/*.parquet') WHERE type IS NOT NULL");
            assertFalse(physical.isEmpty(), t);
            for (Map<String, Object> r : physical) {
                assertFalse("INT96".equals(r.get("type")), t + " has an INT96 column");
            }
        }
        assertEquals(2, query("SELECT DISTINCT d FROM " + scan("runs")).size(), "d read from the partition path");
        assertEquals(2, result.thresholds().size(), "one alpha series per d");
    }

    @Test
    void notebookIsNbformat4() throws IOException {
        final JsonNode nb = new ObjectMapper().readTree(NOTEBOOK.toFile());
        assertEquals(4, nb.get("nbformat").asInt());
        assertTrue(nb.get("nbformat_minor").isInt());
        assertTrue(nb.get("metadata").isObject());
        assertTrue(nb.get("cells").size() >= 8);
        int code = 0;
        int markdown = 0;
        for (JsonNode c : nb.get("cells")) {
            final String type = c.get("cell_type").asText();
            assertTrue(c.get("metadata").isObject(), "metadata");
            assertTrue(c.get("source").isArray() || c.get("source").isTextual(), "source");
            if ("code".equals(type)) {
                code++;
                assertTrue(c.get("outputs").isArray(), "code cells have outputs");
                assertTrue(c.has("execution_count"), "code cells have execution_count");
            } else {
                assertEquals("markdown", type);
                markdown++;
            }
        }
        assertTrue(code >= 6 && markdown >= 6, code + " code, " + markdown + " markdown cells");
        final String all = sources(nb);
        for (String table : new String[] {"summary", "curves", "runs"}) {
            assertTrue(all.contains("pd.read_parquet(f\"{DIR}/" + table + "\""), "the notebook reads " + table);
            assertTrue(all.contains("**`" + table + "`**"), "a markdown cell explains " + table);
        }
    }

    @Test
    void notebookQueriesGiveSensibleAnswersInDuckDb() throws Exception {
        final Map<String, String> sql = new LinkedHashMap<>();
        final Matcher m = SQL_LINE.matcher(sources(new ObjectMapper().readTree(NOTEBOOK.toFile())));
        while (m.find()) {
            sql.put(m.group(1), m.group(2).replace("{DIR}", dir.toString()));
        }
        assertEquals(List.of("summary_rows", "curves_rows", "verdict", "converge_from_runs", "heatmap",
            "decay_at_zero", "rates", "hitting"), new ArrayList<>(sql.keySet()), "the notebook's mirrored queries");
        final int cells = spec.cells().size();
        final int checkpoints = spec.cells().get(0).params().checkpoints().length;

        final Map<String, Object> s = query(sql.get("summary_rows")).get(0);
        assertEquals(cells, num(s, "n"), 0, "one summary row per cell");
        assertEquals(cells, num(s, "cells"), 0);

        final Map<String, Object> c = query(sql.get("curves_rows")).get(0);
        assertEquals(num(c, "n"), num(c, "keys"), 0, "one curves row per (cell, k)");
        assertEquals(cells, num(c, "cells"), 0);
        assertEquals((double) cells * checkpoints, num(c, "n"), 0);

        final Map<String, Object> v = query(sql.get("verdict")).get(0);
        assertEquals(result.cellsChecked(), num(v, "checked"), 0);
        assertEquals(result.violations().size(), num(v, "violated"), 0);
        assertEquals(num(v, "checked"), num(v, "held") + num(v, "violated"), 0);

        final List<Map<String, Object>> conv = query(sql.get("converge_from_runs"));
        assertEquals(cells, conv.size());
        for (Map<String, Object> r : conv) {
            assertEquals(num(r, "p_summary"), num(r, "p_runs"), 1e-12, "P(converge) from runs = summary's");
            assertEquals(spec.replicates(), num(r, "n"), 0);
            assertEquals(num(r, "seeds"), num(r, "n"), 0);
        }

        final List<Map<String, Object>> heat = query(sql.get("heatmap"));
        assertEquals(cells, heat.size());
        for (Map<String, Object> r : heat) {
            final double p = num(r, "p_converge");
            assertTrue(0 <= num(r, "p_converge_lo") && num(r, "p_converge_lo") <= p && p <= num(r, "p_converge_hi")
                && num(r, "p_converge_hi") <= 1, r.toString());
        }

        final List<Map<String, Object>> zero = query(sql.get("decay_at_zero"));
        assertEquals(cells, zero.size());
        for (Map<String, Object> r : zero) {
            final double env = num(r, "envelope");
            assertTrue(env > 0 && num(r, "mean_dist_theta") <= env * (1 + 1e-9), r.toString());
            assertEquals(env, num(r, "mf_dist"), 1e-9 * env, "dist(0) = envelope(0) = mean field at 0");
        }

        final List<Map<String, Object>> rates = query(sql.get("rates"));
        assertFalse(rates.isEmpty(), "cells with a fitted rate");
        for (Map<String, Object> r : rates) {
            assertTrue(num(r, "rate_theory") > 0);
            assertEquals(num(r, "rate_fit") / num(r, "rate_theory"), num(r, "rate_ratio"), 1e-9 * num(r, "rate_ratio"));
        }

        final List<Map<String, Object>> hit = query(sql.get("hitting"));
        assertFalse(hit.isEmpty(), "cells with a mean hitting time");
        for (Map<String, Object> r : hit) {
            assertEquals(num(r, "alpha") * num(r, "mean_hit_time"), num(r, "alpha_mean_hit_time"),
                1e-9 * num(r, "alpha_mean_hit_time"));
        }
    }

    /**
     * Every code cell of the notebook, in order, in one namespace, on this sweep's output, by
     * {@code notebooks/run_notebook.py} under Debian's {@code /usr/bin/python3} (python3-pandas,
     * python3-matplotlib; Agg backend), so the notebook's own asserts run against real data. One
     * substitution: Debian has neither pyarrow nor fastparquet, so {@code pandas.read_parquet} is a
     * shim reading what DuckDB exported from the same Parquet files (JSON lines, which keep null apart
     * from NaN and Infinity, and every double exactly) and rebuilding pyarrow's dtypes from the DuckDB
     * schema. The export is checked lossless by reading it back with DuckDB. Skipped, saying so on
     * stderr, when that interpreter cannot import pandas and matplotlib.
     */
    @Test
    void notebookExecutesOnTheSweep() throws Exception {
        final long t0 = System.nanoTime();
        final String missing = pythonCannotImport("pandas", "matplotlib");
        if (missing != null) {
            final String msg = PYTHON + " cannot import pandas and matplotlib (" + missing
                + "; apt-get install python3-pandas python3-matplotlib): skipping the notebook execution test";
            System.err.println(msg);
            Assumptions.assumeTrue(false, msg);
        }
        SparkTestSupport.deleteTree(EXEC_OUT);
        final Path data = Files.createDirectories(EXEC_OUT.resolve("data"));
        final Path figures = EXEC_OUT.resolve("figures");
        final JsonNode nb = new ObjectMapper().readTree(NOTEBOOK.toFile());

        final Set<String> read = new LinkedHashSet<>();
        final Matcher m = READS.matcher(sources(nb));
        while (m.find()) {
            read.add(m.group(1));
        }
        assertEquals(List.of("summary", "curves", "runs", "thresholds"), new ArrayList<>(read),
            "the tables the notebook reads");
        final ObjectNode schema = new ObjectMapper().createObjectNode();
        for (String t : read) {
            final Set<String> inFiles = new HashSet<>();
            for (Map<String, Object> r : query("DESCRIBE SELECT * FROM read_parquet('" + dir.resolve(t)
                + "/**/*.parquet', hive_partitioning = false)")) {
                inFiles.add((String) r.get("column_name"));
            }
            final ObjectNode table = schema.putObject(t);
            table.put("file", t + ".jsonl");
            table.put("rows", sparkCounts.get(t));
            final ArrayNode columns = table.putArray("columns");
            final List<String> struct = new ArrayList<>();
            for (Map<String, Object> r : query("DESCRIBE SELECT * FROM " + scan(t))) {
                final String name = (String) r.get("column_name");
                final String type = (String) r.get("column_type");
                columns.addObject().put("name", name).put("type", type).put("partition", !inFiles.contains(name));
                struct.add("'" + name + "': '" + type + "'");
            }
            final Path jsonl = data.resolve(t + ".jsonl");
            try (Statement st = duck.createStatement()) {
                st.execute("COPY (SELECT * FROM " + scan(t) + ") TO '" + jsonl + "' (FORMAT JSON)");
            }
            final String back = "read_json('" + jsonl + "', format = 'newline_delimited', columns = {"
                + String.join(", ", struct) + "})";
            assertEquals(0, num(query("SELECT count(*) AS n FROM (SELECT * FROM " + scan(t) + " EXCEPT ALL SELECT * FROM "
                + back + ")").get(0), "n"), 0, t + ": every Parquet row is in the export");
            assertEquals(sparkCounts.get(t), num(query("SELECT count(*) AS n FROM " + back).get(0), "n"), 0,
                t + ": the export has the table's rows");
        }
        final List<String> partitions = new ArrayList<>();
        schema.get("runs").get("columns").forEach(c -> {
            if (c.get("partition").asBoolean()) {
                partitions.add(c.get("name").asText());
            }
        });
        assertEquals(Set.of("d", "cell_id"), new HashSet<>(partitions), "runs: the hive partition columns");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(data.resolve("schema.json").toFile(), schema);
        final long t1 = System.nanoTime();

        final Path log = EXEC_OUT.resolve("run.log");
        final Process p = new ProcessBuilder(PYTHON, "-I", "-B", RUNNER.toString(), NOTEBOOK.toString(),
            "--sweep-dir", dir.toString(), "--export", data.toString(), "--figures", figures.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the notebook did not finish in 300 s:\n" + Files.readString(log));
        }
        final String out = Files.readString(log);
        System.out.println(out);
        assertEquals(0, p.exitValue(), "the notebook failed (" + log.toAbsolutePath() + "):\n" + out);

        // One figure per code cell that opens one, each with something drawn in every visible axes.
        int expected = 0;
        for (JsonNode c : nb.get("cells")) {
            if ("code".equals(c.get("cell_type").asText()) && sources(c).contains("plt.subplots(")) {
                expected++;
            }
        }
        final JsonNode made = new ObjectMapper().readTree(figures.resolve("figures.json").toFile());
        assertEquals(4, expected, "code cells drawing a figure");
        assertEquals(expected, made.size(), "figures: " + made);
        for (JsonNode f : made) {
            assertTrue(f.get("axes").asInt() >= 1, f.toString());
            assertEquals(0, f.get("empty_axes").size(), "axes with nothing drawn: " + f);
            // A log axis dragged down to a clipped band edge (1e-300) leaves every curve a flat line.
            f.get("log_axis_decades").forEach(x -> assertTrue(x.asDouble() < 30, "a log axis spans "
                + x.asDouble() + " decades: " + f));
            final File png = figures.resolve(f.get("file").asText()).toFile();
            final BufferedImage img = ImageIO.read(png);
            final Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    colours.add(img.getRGB(x, y) & 0xffffff);
                }
            }
            assertTrue(colours.size() > 100, png + " has " + colours.size() + " colours");
            System.out.printf("%s: %d x %d, %d colours%n", png, img.getWidth(), img.getHeight(), colours.size());
        }
        System.out.printf("notebookExecutesOnTheSweep: DuckDB export %.1f s, notebook %.1f s%n", (t1 - t0) / 1e9,
            (System.nanoTime() - t1) / 1e9);
    }

    /** @return null when {@link #PYTHON} imports the modules, else why not */
    private static String pythonCannotImport(String... modules) throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            final Process p = new ProcessBuilder(PYTHON, "-I", "-c", "import " + String.join(", ", modules))
                .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "the import timed out";
            }
            return p.exitValue() == 0 ? null : out.substring(out.lastIndexOf('\n') + 1);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void theRunWroteTheReportAndNamesIt() throws IOException {
        final Path report = dir.resolve("report.html");
        assertTrue(Files.isRegularFile(report));
        assertEquals(report.toString(), result.report());
        assertTrue(result.verdict().endsWith("report: " + report), result.verdict());
        final String html = Files.readString(report);
        assertTrue(html.contains(result.envelopeVerdict().replace(">", "&gt;")), "the verdict is in the report");
        for (String id : spec.cells().stream().map(x -> x.cellId()).toList()) {
            assertTrue(html.contains(id), id);
        }
    }

    /** @return the source of a cell, or of every cell of a notebook */
    private static String sources(JsonNode nbOrCell) {
        final StringBuilder sb = new StringBuilder();
        for (JsonNode c : nbOrCell.has("cells") ? nbOrCell.get("cells") : List.of(nbOrCell)) {
            final JsonNode src = c.get("source");
            if (src.isArray()) {
                src.forEach(l -> sb.append(l.asText()));
            } else {
                sb.append(src.asText());
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

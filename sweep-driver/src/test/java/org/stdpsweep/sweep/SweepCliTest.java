package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: exit codes, messages, and that bad input writes nothing. */
class SweepCliTest {
    @TempDir
    Path tmp;

    /** Runs the CLI, capturing what it prints. */
    private static final class Captured {
        int code;
        String out;
        String err;
    }

    private static Captured cli(String... args) {
        final PrintStream oldOut = System.out;
        final PrintStream oldErr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Captured c = new Captured();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            c.code = SweepCli.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        c.out = out.toString(StandardCharsets.UTF_8);
        c.err = err.toString(StandardCharsets.UTF_8);
        return c;
    }

    private Path conf(String text) throws IOException {
        final Path p = tmp.resolve("sweep-" + Math.abs(text.hashCode()) + ".conf");
        Files.writeString(p, text);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "misspelt key        | replicate=5| sweep.replicate",
        "wrong type          | iterations=\"many\"| sweep.iterations",
        "empty axis          | grid.alpha=[]| sweep.grid.alpha",
        "alpha*Q >= 1        | grid.noise=[\"uniform:20\"]| 20",
        "delta outside (0,1) | grid.delta=[1.5]| sweep.grid.delta",
        "d < 2               | grid.d=[1]| sweep.grid.d",
        "malformed gamma     | grid.gamma=[\"ar2:0.3\"]| ar2:0.3",
        "malformed noise     | grid.noise=[\"gauss:1\"]| gauss:1",
    })
    void aBadSweepFileExitsTwoWithItsMessageAndWritesNothing(String what, String override, String named)
        throws IOException {
        final Path conf = conf(SparkTestSupport.SMALL);
        final Path out = tmp.resolve("never-written");
        for (String command : new String[] {"validate", "run"}) {
            final Captured c = command.equals("run")
                ? cli("run", conf.toString(), "--out", out.toString(), "--set", override)
                : cli("validate", conf.toString(), "--set", override);
            assertEquals(2, c.code, what + ": " + c.err);
            assertTrue(c.err.contains(named), what + " should name " + named + ": " + c.err);
            assertFalse(Files.exists(out), "a bad sweep must write nothing");
        }
    }

    @Test
    void aMissingSweepFileExitsTwo() {
        final Captured c = cli("validate", tmp.resolve("nope.conf").toString());
        assertEquals(2, c.code);
        assertTrue(c.err.contains("nope.conf"), c.err);
    }

    @ParameterizedTest(name = "--out \"{0}\"")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "nosuchfs://x/y| No FileSystem for scheme \"nosuchfs\"",
        "''            | it is empty",
        "'   '         | it is empty",
    })
    void anOutputDirectoryHadoopCannotOpenExitsTwo(String out, String why) throws IOException {
        final Captured c = cli("run", conf(SparkTestSupport.SMALL).toString(), "--out", out, "--master", "local[1]");
        assertEquals(2, c.code, c.err);
        assertTrue(c.err.contains("error: --out = \"" + out + "\" is invalid: " + why + "; allowed is a local path, "
            + "or the URI of a Hadoop file system"), c.err);
        assertFalse(c.err.contains("\tat "), "no stack trace: " + c.err);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "spark.executor.memory, lots, 'allowed is a size such as 512m, 4g or 1t'",
        "spark.executor.memory, -1g, 'allowed is a size such as 512m, 4g or 1t'",
        "spark.executor.cores,  four, allowed is a whole number of at least 1",
        "spark.task.cpus,       1.5,  allowed is a whole number of at least 1",
        "spark.executor.cores,  0,    allowed is a whole number of at least 1",
        "spark.task.cpus,       -2,   allowed is a whole number of at least 1",
    })
    void aMalformedSparkSettingExitsTwoBeforeSparkStarts(String key, String value, String allowed)
        throws IOException {
        final Path out = tmp.resolve("never-written");
        final String before = System.getProperty(key);
        System.setProperty(key, value); // what spark-submit --conf KEY=VALUE hands the driver
        final Captured c;
        try {
            c = cli("run", conf(SparkTestSupport.SMALL).toString(), "--out", out.toString(), "--master", "local[1]");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
        assertEquals(2, c.code, c.err);
        assertTrue(c.err.contains("error: " + key + " = " + value + " is invalid: " + allowed), c.err);
        assertFalse(Files.exists(out), "a bad setting must write nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-4"})
    void validateRefusesFewerThanOneCore(String cores) throws IOException {
        final Captured c = cli("validate", conf(SparkTestSupport.SMALL).toString(), "--cores", cores);
        assertEquals(2, c.code, c.err);
        assertTrue(c.err.contains("error: --cores = " + cores + " is invalid: allowed is a whole number of at least 1"),
            c.err);
    }

    @Test
    void validatePrintsTheSizeAndCost() throws IOException {
        final Captured c = cli("validate", conf(SparkTestSupport.SMALL).toString());
        assertEquals(0, c.code, c.err);
        assertTrue(c.out.contains("16"), c.out);
        assertTrue(c.out.contains("192"), c.out); // 16 cells x 12 replicates
    }

    @Test
    void analyzeWarnsOfDataFilesWithoutARecordAndDeletesNothing() throws IOException {
        final Path out = tmp.resolve("interrupted");
        final Captured run = cli("run", conf(SparkTestSupport.SMALL).toString(), "--out", out.toString(),
            "--master", "local[2]", "--set", "replicates=4", "--no-analysis");
        assertEquals(0, run.code, run.err);
        // A driver killed after moving a batch's files but before writing its record leaves this.
        final Path record;
        try (Stream<Path> s = Files.list(out.resolve("_stdp/committed"))) {
            record = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().findFirst().orElseThrow();
        }
        final long orphans = Files.readAllLines(record).stream().filter(l -> l.startsWith("F ")).count();
        assertTrue(orphans > 0);
        Files.delete(record);
        final long files = countFiles(out.resolve("runs")) + countFiles(out.resolve("checkpoints"));

        final Captured c = cli("analyze", out.toString(), "--master", "local[2]");
        assertEquals(0, c.code, c.err);
        assertTrue(c.err.contains("warning: " + out + " has " + orphans + " data file(s) under runs/ and "
            + "checkpoints/ that no complete batch record covers"), c.err);
        assertTrue(c.err.contains("`run CONF --out " + out + "` with the same CONF repairs it"), c.err);
        assertEquals(files, countFiles(out.resolve("runs")) + countFiles(out.resolve("checkpoints")));
        assertTrue(c.out.contains("Theorem 2.2"), c.out);
    }

    @Test
    void analyzeOfADirectoryHadoopCannotOpenExitsTwo() {
        final Captured c = cli("analyze", "nosuchfs://x/y");
        assertEquals(2, c.code, c.err);
        assertTrue(c.err.contains("error: DIR = \"nosuchfs://x/y\" is invalid: No FileSystem for scheme"), c.err);
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void runWritesTheTablesAndPrintsTheVerdict() throws IOException {
        final Path out = tmp.resolve("cli-run");
        final Captured c = cli("run", conf(SparkTestSupport.SMALL).toString(), "--out", out.toString(),
            "--master", "local[2]", "--set", "replicates=4");
        assertEquals(0, c.code, c.err);
        for (String table : new String[] {"runs", "checkpoints", "cells", "summary", "curves", "thresholds"}) {
            assertTrue(Files.isDirectory(out.resolve(table)), table);
        }
        assertTrue(Files.exists(out.resolve("manifest.json")));
        assertTrue(c.out.contains("batch"), c.out);
        assertTrue(c.out.contains("16"), c.out);
        // --overwrite deletes exactly these names, so each entry the tool writes must count as its own.
        try (Stream<Path> entries = Files.list(out)) {
            entries.map(p -> p.getFileName().toString())
                .forEach(name -> assertTrue(OutputDir.isOwn(name), name + " is written but not known as ours"));
        }
    }
}

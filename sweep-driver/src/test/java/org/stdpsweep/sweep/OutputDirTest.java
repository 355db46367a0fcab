package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output directory without Spark: what --overwrite deletes and keeps and what it says, the Hadoop
 * settings it is opened with, and replacements that keep the old content until the new is in place.
 */
class OutputDirTest {
    @TempDir
    Path tmp;

    /** Prepares {@code dir} for the small sweep with {@code overrides}, returning what it printed. */
    private static String prepare(Path dir, boolean overwrite, String... overrides) {
        return prepare(dir.toString(), overwrite, overrides);
    }

    private static String prepare(String dir, boolean overwrite, String... overrides) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SweepRunner.prepare(SparkTestSupport.spec(overrides), dir, overwrite,
            new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
    }

    @Test
    void theNamesStdpSweepWritesAreItsOwnAndOthersAreNot() {
        for (String name : new String[] {"runs", "checkpoints", "cells", "summary", "curves", "thresholds",
            "manifest.json", "report.html", "_stdp", ".manifest.json.crc", ".manifest.json.tmp",
            "..manifest.json.tmp.crc", ".manifest.json.old", ".cells.old", ".report.html.crc",
            ".report.html.tmp-1b4e28ba-2fa1-11d2-883f-0016d3cca427",
            "summary.tmp-1b4e28ba-2fa1-11d2-883f-0016d3cca427", "curves.old-1b4e28ba-2fa1-11d2-883f-0016d3cca427"}) {
            assertTrue(OutputDir.isOwn(name), name);
        }
        for (String name : new String[] {"notes.txt", "analysis.ipynb", ".ipynb_checkpoints", "runs-old",
            "summary.csv", "summary.tmp", "manifest.json.bak", ".notes.txt.crc", "_stdp2", ".crc", "report.html~",
            "summary.old-2024-05-01", "curves.tmp-1", ".report.html.tmp-backup"}) { // user backups, not ours
            assertFalse(OutputDir.isOwn(name), name);
        }
    }

    @Test
    void overwriteDeletesOnlyTheSweepsOwnEntriesAndSaysWhatItKept() throws IOException {
        final Path dir = tmp.resolve("dir");
        prepare(dir, false);
        final Path oldRun = dir.resolve("runs/d=2/cell_id=c0/b00000001-0001--part-0.parquet");
        touch(oldRun);
        touch(dir.resolve("summary/part-0.parquet"));
        touch(dir.resolve("manifest.json"));
        touch(dir.resolve("report.html"));
        touch(dir.resolve("notes.txt"));
        touch(dir.resolve("notebooks/look.ipynb"));
        touch(dir.resolve(".ipynb_checkpoints/look-checkpoint.ipynb"));

        final String said = prepare(dir, true, "seed=43");

        assertFalse(Files.exists(oldRun));
        assertFalse(Files.exists(dir.resolve("summary")));
        assertFalse(Files.exists(dir.resolve("manifest.json")));
        assertFalse(Files.exists(dir.resolve("report.html")));
        assertEquals("x", Files.readString(dir.resolve("notes.txt")));
        assertTrue(Files.exists(dir.resolve("notebooks/look.ipynb")));
        assertTrue(Files.exists(dir.resolve(".ipynb_checkpoints/look-checkpoint.ipynb")));
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("removed the incompatible sweep's output from " + dir
            + " (manifest.json, report.html, runs, summary, _stdp)"), said);
        assertTrue(said.contains("kept the other entries, which stdp-sweep did not write: "
            + ".ipynb_checkpoints, notebooks, notes.txt"), said);
        assertEquals("", prepare(dir, false, "seed=43"), "the directory is now the new sweep's");
    }

    /** Sets system properties (as spark-submit --conf does) while {@code body} runs, then restores them. */
    private static void withProperties(String[][] properties, Runnable body) {
        final String[] before = new String[properties.length];
        for (int i = 0; i < properties.length; i++) {
            before[i] = System.getProperty(properties[i][0]);
            System.setProperty(properties[i][0], properties[i][1]);
        }
        try {
            body.run();
        } finally {
            for (int i = 0; i < properties.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(properties[i][0]);
                } else {
                    System.setProperty(properties[i][0], before[i]);
                }
            }
        }
    }

    @Test
    void sparkHadoopSettingsReachTheOutputDirectorysConfiguration() {
        withProperties(new String[][] {{"spark.hadoop.some.key", "some value"},
            {"spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000"}}, () -> {
                assertEquals("some value", SweepRunner.hadoopConfiguration().get("some.key"));
                assertEquals("http://127.0.0.1:9000", SweepRunner.hadoopConfiguration().get("fs.s3a.endpoint"));
                assertEquals(null, SweepRunner.hadoopConfiguration().get("spark.hadoop.some.key"));
            });
        assertEquals(null, SweepRunner.hadoopConfiguration().get("some.key"), "the property is restored");
    }

    @Test
    void prepareOpensTheDirectoryWithTheSparkHadoopSettings() {
        // A scheme Hadoop knows only through spark.hadoop.fs.SCHEME.impl: without the setting there is no file
        // system for it; with it, the (local) file system is found and refuses the foreign scheme's path.
        final String dir = "stdpsweeptest:" + tmp.resolve("x");
        final String without = assertThrows(SweepRunner.OutputDirException.class, () -> prepare(dir, false))
            .getMessage();
        assertTrue(without.contains("No FileSystem for scheme \"stdpsweeptest\""), without);
        withProperties(new String[][] {{"spark.hadoop.fs.stdpsweeptest.impl", RawLocalFileSystem.class.getName()},
            {"spark.hadoop.fs.stdpsweeptest.impl.disable.cache", "true"}}, () -> {
                final String with = assertThrows(SweepRunner.OutputDirException.class,
                    () -> prepare(dir, false)).getMessage();
                assertTrue(with.contains("Wrong FS"), with);
            });
    }

    /** The local file system, with renames of hidden temporaries ({@code .NAME.tmp}) failing while {@code fail}. */
    private static final class FailingRenames extends FilterFileSystem {
        boolean fail;

        FailingRenames() throws IOException {
            super(FileSystem.getLocal(new Configuration()));
        }

        @Override
        public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) throws IOException {
            return !(fail && src.getName().endsWith(".tmp")) && super.rename(src, dst);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writeAtomicallyReplacesTheContentAndLeavesNoTemporaries() throws IOException {
        final OutputDir out = OutputDir.of(tmp.toString(), new Configuration());
        out.writeAtomically(out.manifest(), "first");
        out.writeAtomically(out.manifest(), "second");
        assertEquals("second", Files.readString(tmp.resolve("manifest.json")));
        // A leftover of a crash after the second rename is superseded, not in the way.
        Files.writeString(tmp.resolve(".manifest.json.old"), "older");
        out.writeAtomically(out.manifest(), "third");
        assertEquals("third", Files.readString(tmp.resolve("manifest.json")));
        assertEquals(List.of(".manifest.json.crc", "manifest.json"), names(tmp));
    }

    @Test
    void aFailedMoveIntoPlaceKeepsTheOldContent() throws IOException {
        final FailingRenames fs = new FailingRenames();
        final OutputDir out = OutputDir.of(fs, new org.apache.hadoop.fs.Path(tmp.toString()));
        out.writeAtomically(out.manifest(), "old manifest");
        fs.fail = true;
        assertThrows(IOException.class, () -> out.writeAtomically(out.manifest(), "new manifest"));
        assertEquals("old manifest", Files.readString(tmp.resolve("manifest.json")));
        assertFalse(Files.exists(tmp.resolve(".manifest.json.old")));

        // The same for a directory (cells/): the staged copy is named .tmp here so that its move fails.
        touch(tmp.resolve("cells/part-0.parquet"));
        final Path staged = tmp.resolve("_stdp/staging/cells/.cells.tmp");
        touch(staged.resolve("part-1.parquet"));
        assertThrows(IOException.class,
            () -> out.replace(new org.apache.hadoop.fs.Path(staged.toString()), out.cells()));
        assertEquals(List.of("part-0.parquet"), names(tmp.resolve("cells")));
        fs.fail = false;
        out.replace(new org.apache.hadoop.fs.Path(staged.toString()), out.cells());
        assertEquals(List.of("part-1.parquet"), names(tmp.resolve("cells")));
        assertFalse(Files.exists(tmp.resolve(".cells.old")));
    }

    @Test
    void repairPutsBackWhatACrashLeftAsideMidReplacement() throws IOException {
        final Path dir = tmp.resolve("dir");
        prepare(dir, false);
        touch(dir.resolve(".cells.old/part-0.parquet")); // the old cells moved aside, the new not yet in place
        touch(dir.resolve(".manifest.json.old"));
        final OutputDir out = OutputDir.of(dir.toString(), new Configuration());
        final String said = out.repair();
        assertTrue(said != null && said.contains("restored cells and manifest.json"), said);
        assertTrue(Files.exists(dir.resolve("cells/part-0.parquet")));
        assertTrue(Files.exists(dir.resolve("manifest.json")));
        assertFalse(Files.exists(dir.resolve(".cells.old")));
        assertEquals(null, out.repair(), "nothing left to repair");
    }

    @Test
    void unrecordedCountsWhatRepairWouldRemoveAndRemovesNothing() throws IOException {
        final Path dir = tmp.resolve("dir");
        prepare(dir, false);
        final String cell = "runs/d=2/cell_id=c0/";
        touch(dir.resolve(cell + "b1-0001--part-0.parquet")); // recorded, whole
        Files.writeString(dir.resolve("_stdp/committed/b1-0001"), "F " + cell + "b1-0001--part-0.parquet\nU c0 0 4\n");
        touch(dir.resolve(cell + "b2-0001--part-0.parquet")); // its record lists a file that is gone
        Files.writeString(dir.resolve("_stdp/committed/b2-0001"), "F " + cell + "b2-0001--part-0.parquet\n"
            + "F " + cell + "b2-0001--part-1.parquet\nU c0 4 8\n");
        touch(dir.resolve("checkpoints/d=2/cell_id=c0/b3-0001--part-0.parquet")); // moved in, no record yet
        touch(dir.resolve("_stdp/staging/b4-0001/runs/d=2/cell_id=c0/part-0.parquet"));
        touch(dir.resolve("_stdp/staging/b4-0001/runs/_SUCCESS"));
        final OutputDir out = OutputDir.of(dir.toString(), new Configuration());

        assertEquals(new OutputDir.Unrecorded(2, 1), out.unrecorded());
        assertEquals(new OutputDir.Unrecorded(2, 1), out.unrecorded(), "counting changes nothing");
        assertTrue(Files.exists(dir.resolve("_stdp/committed/b2-0001")));
        out.repair();
        assertEquals(new OutputDir.Unrecorded(0, 0), out.unrecorded(), "repair removes exactly what was counted");
        assertTrue(Files.exists(dir.resolve(cell + "b1-0001--part-0.parquet")));
    }

    @Test
    void overwriteOfACompatibleOrNewDirectorySaysItHadNoEffect() throws IOException {
        final Path dir = tmp.resolve("dir");
        final String fresh = prepare(dir, true);
        assertTrue(fresh.contains("--overwrite had no effect: " + dir + " is new or empty"), fresh);
        final Path run = dir.resolve("runs/d=2/cell_id=c0/b00000001-0001--part-0.parquet");
        touch(run);
        final String compatible = prepare(dir, true, "replicates=20");
        assertTrue(compatible.contains("--overwrite had no effect: " + dir + " holds output of a compatible sweep, "
            + "so this run resumes or tops it up"), compatible);
        assertTrue(Files.exists(run));
        assertEquals("", prepare(dir, false), "without --overwrite nothing is said");
    }
}

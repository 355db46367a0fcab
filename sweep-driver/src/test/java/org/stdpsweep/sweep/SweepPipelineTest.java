package org.stdpsweep.sweep;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stdpsweep.sweep.SparkTestSupport.checkpoints;
import static org.stdpsweep.sweep.SparkTestSupport.run;
import static org.stdpsweep.sweep.SparkTestSupport.runs;
import static org.stdpsweep.sweep.SparkTestSupport.sameRows;
import static org.stdpsweep.sweep.SparkTestSupport.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.scheduler.JobSucceeded$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.kernel.StdpKernel;
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

import scala.jdk.javaapi.CollectionConverters;

/** The sweep end to end on local Spark: rows, parameters, resume, top-up, refusals. */
class SweepPipelineTest {
    private static SparkSession spark;
    /** One complete run of the small sweep, the reference the other tests compare with. */
    private static Path reference;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkTestSupport.local(2);
        reference = tmp.resolve("reference");
        run(spark, spec(), reference);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void everyCellHasEveryReplicateOnceWithItsParameters() {
        final SweepSpec spec = spec();
        final List<Row> rows = runs(spark, reference).collectAsList();
        assertEquals(16, spec.cells().size());
        assertEquals(spec.cells().size() * spec.replicates(), rows.size());
        assertEquals(rows.size(), runs(spark, reference).select("cell_id", "replicate").distinct().count());
        final Map<String, Cell> byId = spec.cells().stream().collect(Collectors.toMap(Cell::cellId, c -> c));
        for (Row r : rows) {
            final Cell c = byId.get(r.<String>getAs("cell_id"));
            assertEquals(c.alpha(), r.<Double>getAs("alpha"));
            assertEquals(c.delta(), r.<Double>getAs("delta"));
            assertEquals(c.d(), r.<Integer>getAs("d"));
            assertEquals(c.gamma(), r.getAs("gamma"));
            assertEquals(c.rho(), r.<Double>getAs("rho"));
            assertEquals(c.noise(), r.getAs("noise"));
            assertEquals(c.q(), r.<Double>getAs("q"));
            assertEquals(spec.iterations(), r.<Integer>getAs("iterations"));
        }
        final int perRun = spec.cells().get(0).params().checkpoints().length;
        assertEquals((long) rows.size() * perRun, checkpoints(spark, reference).count());
    }

    @Test
    void rowsAreTheKernelsResultsForTheirSeed() {
        // The pipeline must carry each run's result unchanged: recompute a few runs directly.
        final SweepSpec spec = spec();
        final StdpKernel kernel = new StdpKernel();
        for (Cell cell : List.of(spec.cells().get(0), spec.cells().get(7), spec.cells().get(15))) {
            final RunParameters p = cell.params();
            for (long rep : new long[] {0, 5, 11}) {
                final RunResult expected = kernel.run(p, spec.seed(), rep);
                final Row row = runs(spark, reference)
                    .where(col("cell_id").equalTo(cell.cellId()).and(col("replicate").equalTo(rep))).first();
                assertEquals(expected.finalDist(), row.<Double>getAs("final_dist"));
                assertEquals(expected.converged(), row.<Boolean>getAs("converged"));
                assertEquals(expected.thetaHeld() ? null : expected.thetaExit(), row.<Integer>getAs("theta_exit"));
                assertEquals(expected.stopReason().name(), row.getAs("stop_reason"));
                final List<Row> ck = checkpoints(spark, reference)
                    .where(col("cell_id").equalTo(cell.cellId()).and(col("replicate").equalTo(rep)))
                    .orderBy("k").collectAsList();
                assertEquals(Arrays.stream(expected.checkpoints()).boxed().collect(Collectors.toList()),
                    ck.stream().map(r -> r.<Integer>getAs("k")).collect(Collectors.toList()));
                assertEquals(Arrays.stream(expected.checkpointDist()).boxed().collect(Collectors.toList()),
                    ck.stream().map(r -> r.<Double>getAs("dist")).collect(Collectors.toList()));
            }
        }
    }

    @Test
    void rerunOfACompleteSweepComputesNothing() throws IOException {
        assertEquals(0, run(spark, spec(), reference));
    }

    @Test
    void resumeAfterAnInterruptedBatchRecomputesOnlyThatBatch() throws IOException {
        final Path dir = tmp.resolve("resume");
        run(spark, spec(), dir);
        // Simulate a driver killed after moving a batch's files but before its record: drop
        // one record; and delete one cell's files outright.
        final Path committed = dir.resolve("_stdp/committed");
        final List<Path> records;
        try (Stream<Path> s = Files.list(committed)) {
            records = s.sorted().collect(Collectors.toList());
        }
        assertTrue(records.size() >= 2, "the small sweep runs in several batches");
        Files.delete(records.get(0));
        final Cell victim = spec().cells().get(9);
        SparkTestSupport.deleteTree(dir.resolve("runs/d=" + victim.d() + "/cell_id=" + victim.cellId()));
        final long recomputed = run(spark, spec(), dir);
        assertTrue(recomputed > 0 && recomputed < spec().runs(), "recomputed " + recomputed);
        assertTrue(sameRows(runs(spark, reference), runs(spark, dir)));
        assertTrue(sameRows(checkpoints(spark, reference), checkpoints(spark, dir)));
    }

    @Test
    void aFailedBatchCancelsTheOneQueuedBehindItAndCommitsNeither() throws Exception {
        // Batch 1's job is cancelled once batch 2's has started behind it (two batches are in
        // flight). Neither may be committed, batch 2 must not succeed, and no job may still run
        // when run() throws (the scheduler's own active jobs, read at that moment); the next
        // run must compute the whole sweep. One cell at the benchmark's d = 100 and K = 2000, so
        // a batch is about 0.6 s of work on two cores: the cancels take milliseconds, so neither
        // batch can finish first.
        final SweepSpec spec = spec("grid.alpha=[0.05]", "grid.delta=[0.1]", "grid.d=[100]",
            "grid.gamma=[\"independent\"]", "grid.noise=[\"uniform:1.0\"]", "iterations=2000", "replicates=8000");
        final Path dir = tmp.resolve("failed-batch");
        final Map<Integer, String> started = new ConcurrentHashMap<>();
        final Map<Integer, SparkListenerJobEnd> ended = new ConcurrentHashMap<>();
        final SparkListener failBatch1 = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                final String description = jobStart.properties().getProperty("spark.job.description", "");
                started.put(jobStart.jobId(), description);
                if (description.startsWith("stdp-sweep batch 2/")) {
                    started.forEach((id, d) -> {
                        if (d.startsWith("stdp-sweep batch 1/")) {
                            spark.sparkContext().cancelJob(id, "test: batch 1 fails");
                        }
                    });
                }
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd jobEnd) {
                ended.put(jobEnd.jobId(), jobEnd);
            }
        };
        spark.sparkContext().addSparkListener(failBatch1);
        final Exception failure;
        final List<String> stillActive;
        try {
            failure = assertThrows(Exception.class, () -> run(spark, spec, dir));
            // The scheduler drops a job from its active set before it releases the job's waiter,
            // and posts the job's end to listeners only after: so its set, not listener events, says
            // which jobs run at this moment.
            stillActive = CollectionConverters.asJava(spark.sparkContext().dagScheduler().activeJobs()).stream()
                .map(job -> job.properties().getProperty("spark.job.description", "job " + job.jobId()))
                .collect(Collectors.toList());
            spark.sparkContext().listenerBus().waitUntilEmpty(10_000);
        } finally {
            spark.sparkContext().removeSparkListener(failBatch1);
        }
        assertTrue(causes(failure).contains("batch 1 fails"), causes(failure));
        assertTrue(started.containsValue("stdp-sweep batch 2/4"), started.toString());
        assertEquals(List.of(), stillActive, "jobs still running when run() threw");
        for (Map.Entry<Integer, String> job : started.entrySet()) {
            final SparkListenerJobEnd end = ended.get(job.getKey());
            assertTrue(end != null, job.getValue() + " never ended");
            if (job.getValue().startsWith("stdp-sweep batch 2/")) {
                assertFalse(end.jobResult() instanceof JobSucceeded$, "batch 2 was not cancelled");
            }
        }
        try (Stream<Path> records = Files.list(dir.resolve("_stdp/committed"))) {
            assertEquals(List.of(), records.collect(Collectors.toList()), "committed after a failed batch");
        }
        assertEquals(spec.runs(), run(spark, spec, dir));
        assertEquals(spec.runs(), runs(spark, dir).select("replicate").distinct().count());
        assertEquals(spec.runs(), runs(spark, dir).count());
        final RunParameters p = spec.cells().get(0).params();
        for (long rep : new long[] {0, 4321, 7999}) {
            final Row row = runs(spark, dir).where(col("replicate").equalTo(rep)).first();
            assertEquals(new StdpKernel().run(p, spec.seed(), rep).finalDist(), row.<Double>getAs("final_dist"));
        }
    }

    @Test
    void topUpAddsExactlyTheNewReplicatesAndCells() throws IOException {
        final Path dir = tmp.resolve("topup");
        run(spark, spec("replicates=5", "grid.alpha=[0.05]"), dir);
        final long added = run(spark, spec(), dir);
        // 8 old cells gain 7 replicates each, 8 new cells get all 12.
        assertEquals(8 * 7 + 8 * 12, added);
        assertTrue(sameRows(runs(spark, reference), runs(spark, dir)));
        assertTrue(sameRows(checkpoints(spark, reference), checkpoints(spark, dir)));
        assertEquals(16, spark.read().parquet(dir.resolve("cells").toString()).count());
    }

    @Test
    void anIncompatibleDirectoryIsRefusedAndLeftUntouched() throws IOException {
        final Path dir = tmp.resolve("incompatible");
        run(spark, spec(), dir);
        final long files = countFiles(dir);
        final SweepRunner.OutputDirException e = assertThrows(SweepRunner.OutputDirException.class,
            () -> SweepRunner.prepare(spec("seed=43"), dir.toString(), false, SparkTestSupport.QUIET));
        assertTrue(e.getMessage().contains("incompatible sweep"), e.getMessage());
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals(files, countFiles(dir));
        // --overwrite replaces the sweep's output but keeps the user's own files.
        Files.writeString(dir.resolve("notes.md"), "precious");
        SweepRunner.prepare(spec("seed=43"), dir.toString(), true, SparkTestSupport.QUIET).run(spark);
        assertFalse(sameRows(runs(spark, reference), runs(spark, dir)));
        assertEquals(spec().runs(), runs(spark, dir).count());
        assertEquals("precious", Files.readString(dir.resolve("notes.md")));
    }

    @Test
    void aDirectoryOfOtherFilesIsNeverUsedEvenWithOverwrite() throws IOException {
        final Path dir = tmp.resolve("someone-elses");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("thesis.tex"), "precious");
        for (boolean overwrite : new boolean[] {false, true}) {
            final SweepRunner.OutputDirException e = assertThrows(SweepRunner.OutputDirException.class,
                () -> SweepRunner.prepare(spec(), dir.toString(), overwrite, SparkTestSupport.QUIET));
            assertTrue(e.getMessage().contains("holds no stdp-sweep output"), e.getMessage());
        }
        assertEquals("precious", Files.readString(dir.resolve("thesis.tex")));
        assertEquals(1, countFiles(dir));
    }

    @Test
    void manifestRecordsTheSweepAndCompleteCells() throws IOException {
        final String manifest = Files.readString(reference.resolve("manifest.json"));
        final com.typesafe.config.Config m = com.typesafe.config.ConfigFactory.parseString(manifest);
        assertEquals(16, m.getInt("cells_total"));
        assertEquals(16, m.getInt("cells_complete"));
        assertEquals(42, m.getLong("sweep.seed"));
        assertEquals(spark.version(), m.getString("spark_version"));
    }

    /** The messages of {@code e} and its causes, one per line. */
    private static String causes(Throwable e) {
        final StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}

package org.stdpsweep.sweep;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

import scala.Tuple2;

/**
 * Runs a sweep: checks the output directory, plans what is missing, runs it batch by batch on
 * Spark (the kernel in the executors) and commits each batch's Parquet output. Orchestration
 * only: every number comes from the kernel.
 */
public final class SweepRunner {

    /**
     * Batches whose Spark jobs are submitted at once: the one to commit next and the one queued
     * behind it. More would only delay cancellation after a failure.
     */
    static final int BATCHES_IN_FLIGHT = 2;

    private final SweepSpec spec;
    private final OutputDir out;
    private final PrintStream console;

    private SweepRunner(SweepSpec spec, OutputDir out, PrintStream console) {
        this.spec = spec;
        this.out = out;
        this.console = console;
    }

    /**
     * Checks that {@code dir} may receive {@code spec}'s output, before any Spark work: an
     * existing directory must be output of a compatible sweep (same seed, horizon, checkpoints,
     * thresholds, tolerance and model), unless {@code overwrite}; a directory holding anything
     * else is never touched. Creates the directory, which also proves it writable.
     *
     * @throws OutputDirException with a message for the user when the directory may not be used
     */
    public static SweepRunner prepare(SweepSpec spec, String dir, boolean overwrite, PrintStream console) {
        final OutputDir out;
        try {
            out = OutputDir.of(dir, hadoopConfiguration());
        } catch (IllegalArgumentException e) {
            throw new OutputDirException("--out = \"" + dir + "\" is invalid: " + e.getMessage() + "; allowed is "
                + OutputDir.ALLOWED + ". Nothing was written.", e);
        }
        try {
            if (out.isNonEmpty()) {
                if (!out.isSweepOutput()) {
                    throw new OutputDirException("--out " + dir + " is not empty and holds no stdp-sweep output; "
                        + "allowed is a new or empty directory, or one written by a compatible sweep "
                        + "(nothing was written, and --overwrite never deletes a directory that is not sweep output)");
                }
                final String existing = out.readCompatibility().trim();
                final String wanted = spec.compatibilityKey().trim();
                if (!existing.equals(wanted)) {
                    if (!overwrite) {
                        throw new OutputDirException("--out " + dir + " holds output of an incompatible sweep: it has\n  "
                            + existing + "\nbut this sweep needs\n  " + wanted + "\nallowed is a directory written by a "
                            + "sweep with the same seed, iterations, checkpoints, hit-thresholds, tolerance and model "
                            + "version (replicates and grid values may differ: that is a top-up); pass --overwrite to "
                            + "replace it, or choose another --out. Nothing was written.");
                    }
                    final OutputDir.Cleared cleared = out.deleteOwn();
                    console.println("stdp-sweep: --overwrite: removed the incompatible sweep's output from " + dir
                        + " (" + String.join(", ", cleared.removed()) + "); "
                        + (cleared.kept().isEmpty() ? "there were no other entries"
                            : "kept the other entries, which stdp-sweep did not write: "
                                + String.join(", ", cleared.kept())));
                } else if (overwrite) {
                    console.println("stdp-sweep: --overwrite had no effect: " + dir + " holds output of a compatible "
                        + "sweep, so this run resumes or tops it up (nothing was deleted)");
                }
            } else if (overwrite) {
                console.println("stdp-sweep: --overwrite had no effect: " + dir + " is new or empty");
            }
            out.initialise(spec.compatibilityKey());
        } catch (IOException e) {
            throw new OutputDirException("--out " + dir + " cannot be used: " + e.getMessage()
                + "; allowed is a directory this user can create and write", e);
        }
        return new SweepRunner(spec, out, console);
    }

    /**
     * The Hadoop settings for the output directory before Spark starts: spark-submit hands
     * {@code --conf spark.hadoop.KEY=VALUE} (S3A credentials, endpoints) to the driver as system
     * properties, and Spark itself strips the prefix only for its own context's configuration.
     */
    static Configuration hadoopConfiguration() {
        final Configuration conf = new Configuration();
        for (Tuple2<String, String> setting : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
            conf.set(setting._1(), setting._2());
        }
        return conf;
    }

    /**
     * Runs what is missing of the sweep on {@code spark}.
     *
     * @return the number of runs computed by this invocation
     */
    public long run(SparkSession spark) throws IOException {
        final Instant started = Instant.now();
        final int parallelism = spark.sparkContext().defaultParallelism();
        final String repaired = out.repair();
        if (repaired != null) {
            console.println("stdp-sweep: resuming: " + repaired);
        }
        final Map<String, ReplicateRanges> done = new HashMap<>(out.committedRanges());
        final WorkPlan plan = WorkPlan.of(spec, done, parallelism);
        final long total = spec.runs();
        console.printf("stdp-sweep: %s: %d cells x %d replicates = %d runs; %d already done, %d to run "
                + "in %d batch(es) on %d core(s)%n", spec.name(), spec.cells().size(), spec.replicates(), total,
            total - plan.runs(), plan.runs(), plan.batches().size(), parallelism);

        writeCells(spark);
        final String invocation = String.format("b%08x", new SecureRandom().nextInt());
        final List<Cell> cells = spec.cells();
        final LongAccumulator updates = spark.sparkContext().longAccumulator("coordinate-updates");
        final Broadcast<SerializableConfiguration> hadoopConf = CellFiles.Target.hadoopConf(spark);
        final List<List<WorkItem>> batches = plan.batches();
        final String[] batchIds = new String[batches.size()];
        final List<Future<?>> jobs = new ArrayList<>();
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService submitter = Executors.newFixedThreadPool(BATCHES_IN_FLIGHT, r -> {
            final Thread t = new Thread(r, "stdp-sweep-batch-submitter-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        final long t0 = System.nanoTime();
        long runsDone = 0;
        double costDone = 0;
        try {
            for (int c = 0; c < batches.size(); c++) {
                // Keep the next batch's job queued behind batch c's: Spark's FIFO scheduler runs c's
                // tasks first and gives each slot c frees to the next batch, so no slot idles through
                // c's last tasks, its commit and the next batch's planning.
                while (jobs.size() < batches.size() && jobs.size() < c + BATCHES_IN_FLIGHT) {
                    final int b = jobs.size();
                    if (b > 0) {
                        // FIFO order is job-id order: the earlier batch's job must be submitted first.
                        awaitSubmitted(spark, batchIds[b - 1], jobs.get(b - 1));
                        if (jobs.get(b - 1).isDone()) {
                            await(jobs.get(b - 1), label(b - 1, batchIds, batches.size())); // failed: submit no more
                        }
                    }
                    batchIds[b] = String.format("%s-%04d", invocation, b + 1);
                    final String description = "stdp-sweep batch " + (b + 1) + "/" + batches.size();
                    jobs.add(submitter.submit(() -> {
                        spark.sparkContext().setJobGroup(batchIds[b], description, false);
                        runBatch(spark, batchIds[b], batches.get(b), cells, parallelism, updates, hadoopConf);
                        return null;
                    }));
                }
                final List<WorkItem> batch = batches.get(c);
                await(jobs.get(c), label(c, batchIds, batches.size()));
                out.commit(batchIds[c], batch);
                for (WorkItem item : batch) {
                    done.merge(item.getCellId(), ReplicateRanges.EMPTY.with(item.getFirstReplicate(), item.getEndReplicate()),
                        (x, y) -> x.with(item.getFirstReplicate(), item.getEndReplicate()));
                    runsDone += item.getEndReplicate() - item.getFirstReplicate();
                    costDone += item.getCost();
                }
                writeManifest(spark, done, started, null);
                final double seconds = (System.nanoTime() - t0) / 1e9;
                final double eta = costDone > 0 ? seconds * (plan.cost() - costDone) / costDone : 0;
                console.printf("stdp-sweep: batch %d/%d done: cells %d/%d complete, %d runs in %.1f s (%.0f runs/s), "
                        + "ETA %s%n", c + 1, batches.size(), completeCells(done), cells.size(), runsDone, seconds,
                    runsDone / Math.max(seconds, 1e-9), formatDuration(eta));
            }
        } catch (IOException | RuntimeException | Error e) {
            cancelAndAwait(spark, jobs, batchIds, e);
            throw e;
        } finally {
            submitter.shutdownNow();
        }
        writeManifest(spark, done, started, Instant.now());
        final double seconds = (System.nanoTime() - t0) / 1e9;
        console.printf("stdp-sweep: computed %d runs, %d coordinate-updates in %.1f s of sweep time "
                + "(%.3g updates/s on %d cores)%n", runsDone, updates.value(), seconds,
            updates.value() / Math.max(seconds, 1e-9), parallelism);
        return runsDone;
    }

    /**
     * After {@code failure} (a batch's job, or a commit): cancels the batches not done, their Spark
     * jobs too if not yet submitted, so none is committed (the next run's repair deletes their
     * staging output), and waits for every one of them, so no job of this sweep outlives the run.
     */
    private static void cancelAndAwait(SparkSession spark, List<Future<?>> jobs, String[] batchIds, Throwable failure) {
        for (int b = 0; b < jobs.size(); b++) {
            if (!jobs.get(b).isDone()) {
                try {
                    spark.sparkContext().cancelJobGroupAndFutureJobs(batchIds[b], "stdp-sweep: an earlier batch failed");
                } catch (RuntimeException stopped) { // the SparkContext is stopped (a shutdown hook ran)
                    failure.addSuppressed(stopped);
                }
            }
        }
        boolean interrupted = false;
        for (Future<?> job : jobs) {
            while (true) {
                try {
                    job.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // wait all the same
                } catch (ExecutionException | CancellationException e) {
                    break; // the first failure is the one reported
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String label(int b, String[] batchIds, int batches) {
        return "batch " + (b + 1) + "/" + batches + " (" + batchIds[b] + ")";
    }

    /** Waits until a batch's Spark job is submitted, or the batch ended before submitting one. */
    private static void awaitSubmitted(SparkSession spark, String batchId, Future<?> job) throws InterruptedIOException {
        // The status tracker learns of jobs from the listener bus, within milliseconds.
        while (!job.isDone() && spark.sparkContext().statusTracker().getJobIdsForGroup(batchId).length == 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while submitting a batch");
            }
        }
    }

    /**
     * Waits for a batch's job and rethrows its failure: unchecked ones and I/O errors as they
     * were thrown, others (Spark's checked {@code SparkException}) in an I/O error naming the batch.
     */
    private static void await(Future<?> job, String batch) throws IOException {
        try {
            job.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a batch");
        } catch (ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(batch + " failed: " + cause, cause);
        }
    }

    private void runBatch(SparkSession spark, String batchId, List<WorkItem> batch, List<Cell> cells,
                          int parallelism, LongAccumulator updates, Broadcast<SerializableConfiguration> hadoopConf) {
        final List<List<WorkItem>> bins = WorkPlan.bins(batch, parallelism);
        // A list of n bins parallelised into n slices gives one bin per partition: the packing by
        // cost is kept exactly, without a shuffle stage.
        final JavaRDD<WorkItem> packed = JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(bins, bins.size())
            .flatMap(List::iterator);
        final Dataset<WorkItem> work = spark.createDataset(packed.rdd(), Encoders.bean(WorkItem.class));
        // The tasks write both tables themselves while they simulate; the job returns nothing.
        work.foreachPartition(SimulationTask.simulate(cells, spec.seed(), updates,
            CellFiles.Target.of(spark, out.stagedRuns(batchId), hadoopConf),
            CellFiles.Target.of(spark, out.stagedCheckpoints(batchId), hadoopConf)));
    }

    /** Rewrites {@code cells}: this sweep's cells, plus earlier cells no longer on the grid. */
    private void writeCells(SparkSession spark) throws IOException {
        Dataset<Row> cells = CellsTable.of(spark, spec);
        final Path staged = new Path(out.staging("cells"), "cells");
        final org.apache.hadoop.fs.FileSystem fs = staged.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.exists(out.cells())) {
            final Dataset<Row> earlier = spark.read().schema(CellsTable.SCHEMA).parquet(out.cells().toString());
            cells = cells.unionByName(earlier.join(cells.select("cell_id"),
                earlier.col("cell_id").equalTo(cells.col("cell_id")), "left_anti"));
        }
        cells.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staged.toString());
        out.replace(staged, out.cells());
    }

    private void writeManifest(SparkSession spark, Map<String, ReplicateRanges> done, Instant started,
                               Instant finished) throws IOException {
        out.writeAtomically(out.manifest(), Manifest.render(spec, done, spark.version(),
            spark.sparkContext().master(), started, finished));
    }

    private int completeCells(Map<String, ReplicateRanges> done) {
        int n = 0;
        for (Cell cell : spec.cells()) {
            if (done.getOrDefault(cell.cellId(), ReplicateRanges.EMPTY).covers(spec.replicates())) {
                n++;
            }
        }
        return n;
    }

    private static String formatDuration(double seconds) {
        final Duration d = Duration.ofSeconds(Math.round(seconds));
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    /** The output directory may not be used; the message says why and what is allowed. */
    public static final class OutputDirException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputDirException(String message) {
            super(message);
        }

        OutputDirException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

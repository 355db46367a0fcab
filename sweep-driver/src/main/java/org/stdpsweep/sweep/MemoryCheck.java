package org.stdpsweep.sweep;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.stdpsweep.kernel.Checkpoints;
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

/**
 * Refuses, before Spark starts and before anything is written, a sweep whose tasks cannot fit in
 * the memory the executors will have. {@code SweepCli run} calls it first thing: the settings come
 * from the {@link SparkConf} that spark-submit passes as {@code spark.*} system properties (or
 * {@code --master}), so no SparkContext, no executor and no output directory exists yet.
 *
 * <p>What a task holds (see {@link SimulationTask}): the dense d x d co-firing matrix Gamma of the
 * cell it is simulating (a bin's items come sorted by cell, and the previous cell's matrix is
 * released when the next cell starts; the estimate counts the largest cell's matrix twice, for the
 * moment of that change and a margin), the kernel's O(d) buffers, one run's result with its
 * checkpoint arrays, and two open Parquet writers' buffers ({@link CellFiles}: one file of
 * {@code runs} and one of {@code checkpoints}, for the current cell). An executor runs
 * {@code spark.executor.cores / spark.task.cpus} tasks at once beside Spark's fixed 300 MB reserve
 * and a working set of its own (taken as 64 MB); the tasks' part carries a 1.5x margin. In local
 * mode the tasks run in the driver's heap.
 */
final class MemoryCheck {
    private MemoryCheck() {
    }

    static final long MB = 1L << 20;
    /** Spark's reserved system memory (UnifiedMemoryManager.RESERVED_SYSTEM_MEMORY_BYTES). */
    static final long SPARK_RESERVED = 300 * MB;
    /** Spark's own working memory per JVM (sort pages, broadcasts): it spills beyond its pool. */
    static final long SPARK_WORKING = 64 * MB;
    /** Two open Parquet writers per task, runs and checkpoints (page buffers; a task's row groups are small). */
    static final long TASK_BUFFERS = 16 * MB;
    /** Margin for what the estimate does not see (JVM, GC headroom, boxing). */
    static final double MARGIN = 1.5;
    /** Bytes per checkpoint of one run: the kernel's arrays and what the Parquet writer buffers of them. */
    static final long BYTES_PER_CHECKPOINT = 128;
    /** Bytes of one run's row besides its checkpoints. */
    static final long BYTES_PER_ROW = 1024;

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

    /** @return the estimated peak memory of one task of {@code spec}, in bytes, before the margin */
    static long taskBytes(SweepSpec spec) {
        long worst = 0;
        for (Cell cell : spec.cells()) {
            worst = Math.max(worst, cellTaskBytes(cell.d(), checkpointsPerRun(spec)));
        }
        return worst;
    }

    static long cellTaskBytes(int d, int checkpointsPerRun) {
        return 2 * gammaBytes(d) + 8L * 8 * d + BYTES_PER_ROW + BYTES_PER_CHECKPOINT * checkpointsPerRun
            + TASK_BUFFERS;
    }

    static long gammaBytes(int d) {
        return 8L * d * d;
    }

    static int checkpointsPerRun(SweepSpec spec) {
        return Checkpoints.logSpaced(spec.iterations(), spec.checkpoints()).length;
    }

    /**
     * @param master {@code --master}, or null for spark-submit's (the {@code spark.master} property)
     * @return why the sweep does not fit the memory Spark will give its tasks, or null when it fits
     */
    static String problem(SweepSpec spec, String master) {
        final SparkConf conf = new SparkConf(); // spark.* system properties: what spark-submit set
        final String m = master != null ? master : conf.get("spark.master", "local[*]");
        return problem(spec, conf, m, Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param conf       Spark's settings ({@code spark.executor.memory}, {@code spark.executor.cores},
     *                   {@code spark.task.cpus})
     * @param master     the master URL the sweep will run on
     * @param driverHeap the driver JVM's maximum heap, where local mode runs its tasks
     * @param localCores what {@code local[*]} means
     * @return why the sweep does not fit, or null when it fits
     */
    static String problem(SweepSpec spec, SparkConf conf, String master, long driverHeap, int localCores) {
        final String malformed = malformed(conf);
        if (malformed != null) {
            return malformed;
        }
        final long task = taskBytes(spec);
        final int maxD = spec.cells().stream().mapToInt(Cell::d).max().orElse(0);
        final int taskCpus = conf.getInt("spark.task.cpus", 1); // >= 1: malformed() refused the rest
        final Matcher local = LOCAL.matcher(master.trim());
        final long have;
        final int tasks;
        final String setting;
        final String concurrency;
        final String remedy;
        if (local.matches()) {
            final String n = local.group(1);
            final int cores = n == null ? 1 : n.equals("*") ? localCores : Integer.parseInt(n);
            tasks = Math.max(1, cores / taskCpus);
            have = driverHeap;
            setting = "the driver's heap (" + mb(driverHeap) + ")";
            concurrency = master + " runs " + tasks + " task(s) at once in it";
            remedy = "raise the driver's heap (STDP_SWEEP_HEAP for bin/sweep, --driver-memory for spark-submit), "
                + "run on fewer local cores (--master local[N])";
        } else {
            final String memory = conf.get("spark.executor.memory", "1g");
            have = executorMemory(conf);
            final boolean coresSet = conf.contains("spark.executor.cores");
            final int cores = conf.getInt("spark.executor.cores", 1);
            tasks = Math.max(1, cores / taskCpus);
            setting = "spark.executor.memory = " + memory;
            concurrency = "an executor runs " + tasks + " task(s) at once (spark.executor.cores = "
                + (coresSet ? cores : "1, assumed: it is unset") + ", spark.task.cpus = " + taskCpus + ")";
            remedy = "pass --executor-memory " + (roundUp(need(task, tasks)) / MB) + "m or more, fewer cores per "
                + "executor (--executor-cores)";
        }
        final long need = need(task, tasks);
        if (have >= need) {
            return null;
        }
        return String.format(Locale.ROOT, "%s is too small: a task of this sweep needs about %s (d = %d: the "
                + "co-firing matrix Gamma of %s, held for up to two cells, plus %d checkpoints per run and %s of "
                + "Parquet writer buffers), and %s; allowed is at least %s (Spark's %s reserve and %s working set + "
                + "%d x %s x %.1f margin): %s, or sweep smaller d. Nothing was written.",
            setting, mb(task), maxD, mb(gammaBytes(maxD)), checkpointsPerRun(spec), mb(TASK_BUFFERS), concurrency,
            mb(roundUp(need)), mb(SPARK_RESERVED), mb(SPARK_WORKING), tasks, mb(task), MARGIN, remedy);
    }

    /**
     * Spark parses these settings when its context starts, whatever the master; a malformed one would
     * stop it there with a stack trace, so it is refused here first.
     *
     * @return why a setting the check reads is malformed, or null when they all parse
     */
    static String malformed(SparkConf conf) {
        for (String key : new String[] {"spark.executor.cores", "spark.task.cpus"}) {
            try {
                if (conf.getInt(key, 1) < 1) {
                    throw new NumberFormatException("below 1");
                }
            } catch (NumberFormatException e) {
                return key + " = " + conf.get(key) + " is invalid: allowed is a whole number of at least 1. "
                    + "Nothing was written.";
            }
        }
        try {
            executorMemory(conf);
        } catch (IllegalArgumentException e) {
            return "spark.executor.memory = " + conf.get("spark.executor.memory") + " is invalid: allowed is a "
                + "size such as 512m, 4g or 1t (a whole number with a unit k, m, g or t; without one, MiB, "
                + "as Spark reads it). Nothing was written.";
        }
        return null;
    }

    /** {@code spark.executor.memory} in bytes; like Spark, a number without a unit means MiB, not bytes. */
    static long executorMemory(SparkConf conf) {
        return conf.getSizeAsMb("spark.executor.memory", "1g") * MB;
    }

    static long need(long task, int tasks) {
        return SPARK_RESERVED + SPARK_WORKING + (long) Math.ceil(tasks * task * MARGIN);
    }

    /** Up to the next multiple of 64 MB, a size one would actually configure. */
    private static long roundUp(long bytes) {
        final long step = 64 * MB;
        return (bytes + step - 1) / step * step;
    }

    private static String mb(long bytes) {
        return (bytes + MB - 1) / MB + " MB";
    }
}

package org.stdpsweep.sweep;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskFailureListener;
import org.stdpsweep.analysis.SweepTables;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.kernel.StdpKernel;
import org.stdpsweep.kernel.StreamSeed;
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

/**
 * The executor side of a sweep: runs the kernel for every replicate of every work item of a
 * partition (one kernel reused for the whole task) and writes each result as a row of
 * {@code runs} and its checkpoints as rows of {@code checkpoints} (docs/output-schema.md),
 * through {@link CellFiles}, one run at a time, so a task never holds its output.
 */
final class SimulationTask {
    private SimulationTask() {
    }

    /** One simulated run: the object each row of both tables is written from, reused for every run. */
    static final class Run {
        Cell cell;
        RunParameters params;
        long replicate;
        long[] seed;
        RunResult result;
        /** The checkpoint of {@link #result} that the next {@code checkpoints} row holds. */
        int checkpoint;
    }

    /** {@code runs} inside a file: its columns but the partition columns, as Spark's partitioned writer stored them. */
    static final CellFiles.Table<Run> RUNS = CellFiles.Table.of(withoutPartitionColumns(SweepTables.RUNS),
        SimulationTask::writeRun);

    /**
     * {@code checkpoints} inside a file, exactly as Spark's writer stored them from the exploded
     * arrays before the tasks wrote them: {@code replicate} required, the others optional, so
     * files of either origin in one directory have one schema.
     */
    static final CellFiles.Table<Run> CHECKPOINTS = CellFiles.Table.of(new StructType()
            .add("replicate", DataTypes.LongType, false)
            .add("k", DataTypes.IntegerType, true)
            .add("dist", DataTypes.DoubleType, true)
            .add("margin", DataTypes.DoubleType, true),
        SimulationTask::writeCheckpoint);

    private static StructType withoutPartitionColumns(StructType schema) {
        StructType inFile = new StructType();
        for (StructField f : schema.fields()) {
            if (!List.of(OutputDir.PARTITION_COLUMNS).contains(f.name())) {
                inFile = inFile.add(f);
            }
        }
        return inFile;
    }

    /**
     * @param cells       the sweep's cells, indexed by {@link WorkItem#getCell()}
     * @param masterSeed  the sweep's master seed
     * @param updates     counts the coordinate-updates done (iterations run x d), for throughput
     * @param runs        where the batch's {@code runs} files go
     * @param checkpoints where the batch's {@code checkpoints} files go
     * @return the function each task applies to its partition of work items, grouped by cell
     */
    static ForeachPartitionFunction<WorkItem> simulate(List<Cell> cells, long masterSeed, LongAccumulator updates,
                                                     CellFiles.Target runs, CellFiles.Target checkpoints) {
        return items -> {
            final TaskContext task = TaskContext.get();
            final CellFiles<Run> runFiles = new CellFiles<>(RUNS, runs, task.partitionId(), task.taskAttemptId());
            final CellFiles<Run> checkpointFiles =
                new CellFiles<>(CHECKPOINTS, checkpoints, task.partitionId(), task.taskAttemptId());
            task.addTaskFailureListener((TaskFailureListener) (context, error) -> {
                runFiles.abort();
                checkpointFiles.abort();
            });
            simulate(items, cells, masterSeed, updates, runFiles, checkpointFiles);
        };
    }

    private static void simulate(Iterator<WorkItem> items, List<Cell> cells, long masterSeed, LongAccumulator updates,
                                 CellFiles<Run> runFiles, CellFiles<Run> checkpointFiles) throws IOException {
        final StdpKernel kernel = new StdpKernel();
        final Run run = new Run();
        int paramsCell = -1; // the current cell's parameters only: a bin's items come sorted by cell (WorkPlan.bins)
        while (items.hasNext()) {
            final WorkItem item = items.next();
            if (item.getCell() != paramsCell) {
                run.params = null; // the previous cell's Gamma may go before the next one is built
                run.cell = cells.get(item.getCell());
                run.params = run.cell.params();
                paramsCell = item.getCell();
            }
            for (long replicate = item.getFirstReplicate(); replicate < item.getEndReplicate(); replicate++) {
                run.replicate = replicate;
                run.seed = StreamSeed.of(masterSeed, run.params, replicate);
                run.result = kernel.run(run.params, run.seed);
                updates.add((long) run.result.iterationsRun() * run.params.d());
                write(run, runFiles, checkpointFiles);
            }
        }
        runFiles.finish();
        checkpointFiles.finish();
    }

    /** Writes {@code run}'s row of {@code runs} and its rows of {@code checkpoints}. */
    static void write(Run run, CellFiles<Run> runFiles, CellFiles<Run> checkpointFiles) {
        runFiles.write(run.cell, run);
        for (run.checkpoint = 0; run.checkpoint < run.result.checkpoints().length; run.checkpoint++) {
            checkpointFiles.write(run.cell, run);
        }
    }

    /** One row of {@code runs}, the fields in {@link #RUNS}' order; a null field is left out. */
    private static void writeRun(CellFiles.Columns f, Run run) {
        final Cell cell = run.cell;
        final RunParameters p = run.params;
        final RunResult r = run.result;
        f.add(cell.alpha());
        f.add(cell.delta());
        f.add(cell.gamma());
        f.add(cell.rho());
        f.add(cell.blockSize());
        f.add(cell.noise());
        f.add(cell.q());
        f.add(p.iterations());
        f.add(run.replicate);
        f.add(hex(run.seed));
        f.add(r.converged());
        f.add(r.winner());
        f.add(r.finalDist());
        f.add(r.finalMargin());
        if (r.thetaHeld()) {
            f.skip();
        } else {
            f.add(r.thetaExit());
        }
        final double[] thresholds = p.hitThresholds();
        final int[] times = r.hitTimes();
        int hit1e3 = RunResult.NEVER;
        f.startList(thresholds.length);
        for (double threshold : thresholds) {
            f.element(threshold);
        }
        f.endList(thresholds.length);
        f.startList(times.length);
        for (int j = 0; j < times.length; j++) {
            if (times[j] == RunResult.NEVER) {
                f.nullElement();
            } else {
                f.element(times[j]);
            }
            if (thresholds[j] == SweepSpec.REQUIRED_THRESHOLD) {
                hit1e3 = times[j];
            }
        }
        f.endList(times.length);
        if (hit1e3 == RunResult.NEVER) {
            f.skip();
        } else {
            f.add(hit1e3);
        }
        f.add(r.stopReason().name());
        f.add(r.iterationsRun());
    }

    /** One row of {@code checkpoints}: the run's checkpoint {@link Run#checkpoint}. */
    private static void writeCheckpoint(CellFiles.Columns f, Run run) {
        final int j = run.checkpoint;
        f.add(run.replicate);
        f.add(run.result.checkpoints()[j]);
        f.add(run.result.checkpointDist()[j]);
        f.add(run.result.checkpointMargin()[j]);
    }

    private static String hex(long[] words) {
        final StringBuilder sb = new StringBuilder(64);
        for (long w : words) {
            final String h = Long.toHexString(w);
            sb.append("0".repeat(16 - h.length())).append(h);
        }
        return sb.toString();
    }
}

package org.stdpsweep.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskFailureListener;
import org.stdpsweep.analysis.SweepTables;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.kernel.StdpKernel;
import org.stdpsweep.kernel.StreamSeed;
import org.stdpsweep.sweep.config.Cell;

import scala.collection.immutable.ArraySeq;
import scala.collection.immutable.Seq;

/**
 * The executor side of a sweep: runs the kernel for every replicate of every work item of a
 * partition (one kernel reused for the whole task) and turns each result into a row of the
 * {@code runs} schema (docs/output-schema.md), while {@link CheckpointFiles} writes its
 * checkpoints into the {@code checkpoints} table.
 */
final class RunRows {
    private RunRows() {
    }

    /** The threshold whose hitting time the analysis uses; always among the configured ones. */
    static final double HIT_1E3 = 1e-3;

    /** The runs columns, in order. */
    static final StructType SCHEMA = SweepTables.RUNS;

    /**
     * @param cells      the sweep's cells, indexed by {@link WorkItem#getCell()}
     * @param masterSeed the sweep's master seed
     * @param updates    counts the coordinate-updates done (iterations run x d), for throughput
     * @param checkpoints where the runs' checkpoints go
     * @return the function each task applies to its partition of work items, grouped by cell
     */
    static MapPartitionsFunction<WorkItem, Row> simulate(List<Cell> cells, long masterSeed, LongAccumulator updates,
                                                         CheckpointFiles.Target checkpoints) {
        return items -> {
            final TaskContext task = TaskContext.get();
            final CheckpointFiles files = new CheckpointFiles(checkpoints, task.partitionId(), task.taskAttemptId());
            task.addTaskFailureListener((TaskFailureListener) (context, error) -> files.abort());
            return new RowIterator(items, cells, masterSeed, updates, files);
        };
    }

    /** Generates rows lazily, one run at a time, so a task never holds its whole output. */
    private static final class RowIterator implements Iterator<Row> {
        private final Iterator<WorkItem> items;
        private final List<Cell> cells;
        private final long masterSeed;
        private final LongAccumulator updates;
        private final CheckpointFiles checkpoints;
        private final StdpKernel kernel = new StdpKernel();
        /** The current cell's parameters only: a bin's items come sorted by cell (WorkPlan.bins). */
        private int paramsCell = -1;
        private RunParameters params;
        private WorkItem item;
        private long next;

        RowIterator(Iterator<WorkItem> items, List<Cell> cells, long masterSeed, LongAccumulator updates,
                    CheckpointFiles checkpoints) {
            this.items = items;
            this.cells = cells;
            this.masterSeed = masterSeed;
            this.updates = updates;
            this.checkpoints = checkpoints;
        }

        @Override
        public boolean hasNext() {
            while (item == null || next >= item.getEndReplicate()) {
                if (!items.hasNext()) {
                    finishCheckpoints();
                    return false;
                }
                item = items.next();
                next = item.getFirstReplicate();
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            final Cell cell = cells.get(item.getCell());
            if (item.getCell() != paramsCell) {
                params = null; // the previous cell's Gamma may go before the next one is built
                params = cell.params();
                paramsCell = item.getCell();
            }
            final RunParameters p = params;
            final long replicate = next++;
            final long[] seed = StreamSeed.of(masterSeed, p, replicate);
            final RunResult result = kernel.run(p, seed);
            updates.add((long) result.iterationsRun() * p.d());
            checkpoints.append(cell, replicate, result);
            return toRow(cell, p, replicate, seed, result);
        }

        private void finishCheckpoints() {
            try {
                checkpoints.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Row toRow(Cell cell, RunParameters p, long replicate, long[] seed, RunResult r) {
        final double[] thresholds = p.hitThresholds();
        final int[] times = r.hitTimes();
        final Integer[] hitTimes = new Integer[times.length];
        Integer hit1e3 = null;
        for (int j = 0; j < times.length; j++) {
            final Integer t = times[j] == RunResult.NEVER ? null : times[j];
            hitTimes[j] = t;
            if (thresholds[j] == HIT_1E3) {
                hit1e3 = t;
            }
        }
        return RowFactory.create(
            cell.cellId(), cell.d(), cell.alpha(), cell.delta(), cell.gamma(), cell.rho(), cell.blockSize(),
            cell.noise(), cell.q(), p.iterations(), replicate, hex(seed),
            r.converged(), r.winner(), r.finalDist(), r.finalMargin(),
            r.thetaHeld() ? null : r.thetaExit(),
            seq(thresholds), seq(hitTimes), hit1e3,
            r.stopReason().name(), r.iterationsRun());
    }

    private static String hex(long[] words) {
        final StringBuilder sb = new StringBuilder(64);
        for (long w : words) {
            final String h = Long.toHexString(w);
            sb.append("0".repeat(16 - h.length())).append(h);
        }
        return sb.toString();
    }

    // A Row's array values must be Scala sequences for Spark's row encoder.

    static Seq<Object> seq(double[] xs) {
        return ArraySeq.unsafeWrapArray(Arrays.stream(xs).boxed().toArray());
    }

    static Seq<Object> seq(int[] xs) {
        return ArraySeq.unsafeWrapArray(Arrays.stream(xs).boxed().toArray());
    }

    static Seq<Object> seq(Object[] xs) {
        return ArraySeq.unsafeWrapArray(xs);
    }
}

package org.stdpsweep.sweep;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
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
 * {@code runs} schema (docs/output-schema.md), with the checkpoints as three aligned arrays
 * that {@link SweepRunner} explodes into the {@code checkpoints} table.
 */
final class RunRows {
    private RunRows() {
    }

    static final String CK_K = "ck_k";
    static final String CK_DIST = "ck_dist";
    static final String CK_MARGIN = "ck_margin";
    /** The threshold whose hitting time the analysis uses; always among the configured ones. */
    static final double HIT_1E3 = 1e-3;

    /** The runs columns, in order, then the checkpoint arrays. */
    static final StructType SCHEMA = SweepTables.RUNS
        .add(CK_K, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
        .add(CK_DIST, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add(CK_MARGIN, DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    /**
     * @param cells      the sweep's cells, indexed by {@link WorkItem#getCell()}
     * @param masterSeed the sweep's master seed
     * @param updates    counts the coordinate-updates done (iterations run x d), for throughput
     * @return the function each task applies to its partition of work items
     */
    static MapPartitionsFunction<WorkItem, Row> simulate(List<Cell> cells, long masterSeed, LongAccumulator updates) {
        return items -> new RowIterator(items, cells, masterSeed, updates);
    }

    /** Generates rows lazily, one run at a time, so a task never holds its whole output. */
    private static final class RowIterator implements Iterator<Row> {
        private final Iterator<WorkItem> items;
        private final List<Cell> cells;
        private final long masterSeed;
        private final LongAccumulator updates;
        private final StdpKernel kernel = new StdpKernel();
        private final Map<Integer, RunParameters> params = new HashMap<>();
        private WorkItem item;
        private long next;

        RowIterator(Iterator<WorkItem> items, List<Cell> cells, long masterSeed, LongAccumulator updates) {
            this.items = items;
            this.cells = cells;
            this.masterSeed = masterSeed;
            this.updates = updates;
        }

        @Override
        public boolean hasNext() {
            while (item == null || next >= item.getEndReplicate()) {
                if (!items.hasNext()) {
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
            final RunParameters p = params.computeIfAbsent(item.getCell(), c -> cell.params());
            final long replicate = next++;
            final long[] seed = StreamSeed.of(masterSeed, p, replicate);
            final RunResult result = kernel.run(p, seed);
            updates.add((long) result.iterationsRun() * p.d());
            return toRow(cell, p, replicate, seed, result);
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
            r.stopReason().name(), r.iterationsRun(),
            seq(r.checkpoints()), seq(r.checkpointDist()), seq(r.checkpointMargin()));
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

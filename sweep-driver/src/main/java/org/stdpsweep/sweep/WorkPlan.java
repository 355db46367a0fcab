package org.stdpsweep.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

/**
 * Turns a sweep and the replicates already on disk into what is left to run: work items
 * (cell x block of replicates) of roughly equal estimated cost, grouped into batches (one
 * Spark job each, a progress line each) and, within a batch, packed into partitions by
 * estimated cost (longest first, into the least loaded partition).
 */
final class WorkPlan {
    /** Work per item, in coordinate-updates: about a tenth of a second of one core. */
    static final double ITEM_COST = 3e7;
    /** Work per batch and core, in coordinate-updates: about ten seconds of one core. */
    static final double BATCH_COST_PER_CORE = 3e9;

    private final List<List<WorkItem>> batches;
    private final long runs;
    private final double cost;

    private WorkPlan(List<List<WorkItem>> batches, long runs, double cost) {
        this.batches = batches;
        this.runs = runs;
        this.cost = cost;
    }

    /**
     * @param spec        the sweep
     * @param done        replicate ranges already committed, per cell id
     * @param parallelism cores available to the job
     */
    static WorkPlan of(SweepSpec spec, Map<String, ReplicateRanges> done, int parallelism) {
        final List<Cell> cells = spec.cells();
        final List<WorkItem> items = new ArrayList<>();
        long runs = 0;
        double total = 0;
        for (int c = 0; c < cells.size(); c++) {
            final Cell cell = cells.get(c);
            final double perReplicate = (double) spec.iterations() * cell.d();
            final long block = Math.max(1, (long) Math.ceil(ITEM_COST / perReplicate));
            final ReplicateRanges have = done.getOrDefault(cell.cellId(), ReplicateRanges.EMPTY);
            for (long[] gap : have.missing(spec.replicates())) {
                for (long r = gap[0]; r < gap[1]; r += block) {
                    final long end = Math.min(gap[1], r + block);
                    items.add(new WorkItem(c, cell.cellId(), r, end, perReplicate * (end - r)));
                    runs += end - r;
                    total += perReplicate * (end - r);
                }
            }
        }
        final int nBatches = (int) Math.max(1, Math.min(items.size(),
            Math.max(Math.ceil(total / (BATCH_COST_PER_CORE * parallelism)), items.isEmpty() ? 1 : 4)));
        // Deal items to batches in grid order, so each batch finishes whole cells early on.
        final List<List<WorkItem>> batches = new ArrayList<>();
        final double perBatch = total / nBatches;
        List<WorkItem> current = new ArrayList<>();
        double acc = 0;
        for (WorkItem item : items) {
            current.add(item);
            acc += item.getCost();
            if (acc >= perBatch * (batches.size() + 1) && batches.size() < nBatches - 1) {
                batches.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        for (List<WorkItem> batch : batches) {
            pack(batch, parallelism);
        }
        return new WorkPlan(batches, runs, total);
    }

    /** Longest-processing-time packing into about 3 partitions per core, by estimated cost. */
    private static void pack(List<WorkItem> batch, int parallelism) {
        final int bins = binCount(batch, parallelism);
        final double[] load = new double[bins];
        batch.sort(Comparator.comparingDouble(WorkItem::getCost).reversed());
        for (WorkItem item : batch) {
            int best = 0;
            for (int b = 1; b < bins; b++) {
                if (load[b] < load[best]) {
                    best = b;
                }
            }
            item.setBin(best);
            load[best] += item.getCost();
        }
    }

    static int binCount(List<WorkItem> batch, int parallelism) {
        return Math.max(1, Math.min(batch.size(), 3 * parallelism));
    }

    /**
     * @return the batch's items grouped by the bin {@link #pack} gave them, bin 0 first, and in a
     *     bin by cell and first replicate, so a task's runs of one cell are adjacent (one file of
     *     each table per task and cell, {@link CellFiles})
     */
    static List<List<WorkItem>> bins(List<WorkItem> batch, int parallelism) {
        final List<List<WorkItem>> bins = new ArrayList<>();
        for (int b = binCount(batch, parallelism); b > 0; b--) {
            bins.add(new ArrayList<>());
        }
        for (WorkItem item : batch) {
            bins.get(item.getBin()).add(item);
        }
        for (List<WorkItem> bin : bins) {
            bin.sort(Comparator.comparingInt(WorkItem::getCell).thenComparingLong(WorkItem::getFirstReplicate));
        }
        return bins;
    }

    List<List<WorkItem>> batches() {
        return batches;
    }

    long runs() {
        return runs;
    }

    double cost() {
        return cost;
    }
}

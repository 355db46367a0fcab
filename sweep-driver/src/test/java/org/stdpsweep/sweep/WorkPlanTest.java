package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.stdpsweep.sweep.config.SweepSpec;

/** The plan: every missing replicate exactly once, and partitions balanced by estimated cost. */
class WorkPlanTest {

    /** Cells of very different cost per replicate (d = 2 and d = 200, K = 20 000): blocks of different sizes. */
    private static SweepSpec spec(long replicates) {
        return SweepSpec.parse(String.join("\n",
            "sweep.name = plan", "sweep.seed = 1", "sweep.iterations = 20000",
            "sweep.replicates = " + replicates, "sweep.grid.alpha = [0.05, 0.1]", "sweep.grid.delta = [0.2]",
            "sweep.grid.d = [2, 200]", "sweep.grid.gamma = [independent]", "sweep.grid.noise = [none]"), List.of());
    }

    @Test
    void everyMissingReplicateIsPlannedOnceAndBinsHoldWhatTheyWereGivenByCell() {
        final SweepSpec spec = spec(5000);
        final Map<String, ReplicateRanges> done = new HashMap<>();
        final String partly = spec.cells().get(0).cellId();
        done.put(partly, ReplicateRanges.EMPTY.with(0, 1234));
        final WorkPlan plan = WorkPlan.of(spec, done, 2);
        assertEquals(4L * 5000 - 1234, plan.runs());

        final Map<String, long[]> covered = new HashMap<>();
        for (List<WorkItem> batch : plan.batches()) {
            final List<List<WorkItem>> bins = WorkPlan.bins(batch, 2);
            assertEquals(WorkPlan.binCount(batch, 2), bins.size());
            int items = 0;
            for (int b = 0; b < bins.size(); b++) {
                WorkItem previous = null;
                for (WorkItem item : bins.get(b)) {
                    assertEquals(b, item.getBin());
                    // A task's runs of one cell must be adjacent: CellFiles writes one file per cell.
                    assertTrue(previous == null || previous.getCell() < item.getCell()
                        || previous.getCell() == item.getCell()
                            && previous.getEndReplicate() <= item.getFirstReplicate(), "bin sorted by cell, replicate");
                    previous = item;
                    items++;
                    final long[] c = covered.computeIfAbsent(item.getCellId(), k -> new long[1]);
                    c[0] += item.getEndReplicate() - item.getFirstReplicate();
                }
            }
            assertEquals(batch.size(), items, "each item in exactly one bin");
        }
        for (int c = 0; c < spec.cells().size(); c++) {
            final String id = spec.cells().get(c).cellId();
            assertEquals(id.equals(partly) ? 5000 - 1234 : 5000, covered.get(id)[0], id);
        }
    }

    @Test
    void binsOfABatchCarryNearlyEqualCost() {
        final WorkPlan plan = WorkPlan.of(spec(20000), Map.of(), 2);
        for (List<WorkItem> batch : plan.batches()) {
            final List<List<WorkItem>> bins = WorkPlan.bins(batch, 2);
            double max = 0;
            double min = Double.MAX_VALUE;
            double largestItem = 0;
            for (List<WorkItem> bin : bins) {
                double load = 0;
                for (WorkItem item : bin) {
                    load += item.getCost();
                    largestItem = Math.max(largestItem, item.getCost());
                }
                max = Math.max(max, load);
                min = Math.min(min, load);
            }
            // Longest-processing-time packing: no bin exceeds the lightest by more than one item.
            assertTrue(max - min <= largestItem, "bins unbalanced: " + min + " .. " + max);
        }
    }
}

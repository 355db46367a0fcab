package org.stdpsweep.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A set of replicate indices of one cell, as sorted disjoint half-open ranges. Immutable. */
final class ReplicateRanges {
    static final ReplicateRanges EMPTY = new ReplicateRanges(Collections.emptyList());

    private final List<long[]> ranges;

    private ReplicateRanges(List<long[]> ranges) {
        this.ranges = ranges;
    }

    /** @return this set with {@code [first, end)} added, merging overlaps and neighbours */
    ReplicateRanges with(long first, long end) {
        final List<long[]> all = new ArrayList<>(ranges);
        all.add(new long[] {first, end});
        all.sort((a, b) -> Long.compare(a[0], b[0]));
        final List<long[]> merged = new ArrayList<>();
        for (long[] r : all) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] >= r[0]) {
                final long[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r.clone());
            }
        }
        return new ReplicateRanges(Collections.unmodifiableList(merged));
    }

    /** @return the ranges of {@code [0, replicates)} not in this set */
    List<long[]> missing(long replicates) {
        final List<long[]> gaps = new ArrayList<>();
        long next = 0;
        for (long[] r : ranges) {
            if (r[0] > next) {
                gaps.add(new long[] {next, Math.min(r[0], replicates)});
            }
            next = Math.max(next, r[1]);
            if (next >= replicates) {
                break;
            }
        }
        if (next < replicates) {
            gaps.add(new long[] {next, replicates});
        }
        gaps.removeIf(g -> g[0] >= g[1]);
        return gaps;
    }

    /** @return whether every replicate in {@code [0, replicates)} is present */
    boolean covers(long replicates) {
        return missing(replicates).isEmpty();
    }

    /** @return the number of replicates in {@code [0, replicates)} present */
    long countBelow(long replicates) {
        long n = 0;
        for (long[] r : ranges) {
            n += Math.max(0, Math.min(r[1], replicates) - r[0]);
        }
        return n;
    }
}

package org.stdpsweep.analysis;

import java.io.IOException;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Replaces an output table by a fully written temporary sibling {@code DIR/name.tmp-TOKEN}; the
 * previous table is moved aside to {@code DIR/name.old-TOKEN} and deleted once the new one is in
 * place. The names are not hidden ({@code .} or {@code _} prefixes): the jobs read their own
 * temporaries back, and Spark warns about (and may one day skip) hidden input paths.
 */
final class TableSwap {
    private TableSwap() {
    }

    static Path temporary(Path dir, String table, String token) {
        return new Path(dir, table + ".tmp-" + token);
    }

    /**
     * Moves the old table aside, moves {@code tmp} into place, then deletes the old table. If
     * the second move fails, the old table is moved back. Readers see either the old or the new
     * table, never a partial one (at worst, for the instant between the two renames, none).
     */
    static void replace(FileSystem fs, Path tmp, Path target, String token) throws IOException {
        Path old = null;
        if (fs.exists(target)) {
            old = new Path(target.getParent(), target.getName() + ".old-" + token);
            if (!fs.rename(target, old)) {
                throw new IOException("could not move " + target + " aside to " + old);
            }
        }
        if (!fs.rename(tmp, target)) {
            if (old != null && !fs.rename(old, target)) {
                throw new IOException("could not move " + tmp + " to " + target
                    + ", and could not restore the previous table from " + old);
            }
            throw new IOException("could not move " + tmp + " to " + target);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    /** Best-effort removal of a temporary after a failure. */
    static void discard(FileSystem fs, Path tmp) {
        try {
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
        } catch (IOException ignored) {
            // nothing more to do: the next run uses a new name
        }
    }
}

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
public final class TableSwap {
    private TableSwap() {
    }

    static Path temporary(Path dir, String table, String token) {
        return new Path(dir, table + ".tmp-" + token);
    }

    /** {@link #replace(FileSystem, Path, Path, Path)} with the old table aside at {@code DIR/name.old-TOKEN}. */
    static void replace(FileSystem fs, Path tmp, Path target, String token) throws IOException {
        replace(fs, tmp, target, new Path(target.getParent(), target.getName() + ".old-" + token));
    }

    /**
     * Moves the old {@code target} (file or directory) aside to {@code old}, which must not exist,
     * moves the complete {@code ready} into place, then deletes the old one; Hadoop's rename does not
     * replace. If the second move fails, the old one is moved back. Readers see either the old or
     * the new target, never a partial one (at worst, for the instant between the two renames, none).
     * Also the sweep driver's way to replace {@code cells/} and {@code manifest.json}.
     */
    public static void replace(FileSystem fs, Path ready, Path target, Path old) throws IOException {
        final boolean replacing = fs.exists(target);
        if (replacing && !fs.rename(target, old)) {
            throw new IOException("could not move " + target + " aside to " + old);
        }
        if (!fs.rename(ready, target)) {
            if (replacing && !fs.rename(old, target)) {
                throw new IOException("could not move " + ready + " to " + target
                    + ", and could not restore the previous one from " + old);
            }
            throw new IOException("could not move " + ready + " to " + target);
        }
        if (replacing) {
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

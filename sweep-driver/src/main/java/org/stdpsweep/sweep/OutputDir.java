package org.stdpsweep.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.stdpsweep.analysis.AnalysisJobs;
import org.stdpsweep.analysis.TableSwap;
import org.stdpsweep.analysis.report.Report;

/**
 * The layout of a sweep's output directory and the completion records that make it safe to
 * resume. Works on any Hadoop file system (local, HDFS, S3A).
 *
 * <pre>
 * DIR/runs/d=../cell_id=../BATCH--part-*.parquet      data, moved in when a batch is committed
 * DIR/checkpoints/d=../cell_id=../BATCH--part-*.parquet
 * DIR/cells/                                           rewritten per invocation
 * DIR/manifest.json                                    rewritten after every batch
 * DIR/_stdp/compatibility                              what must match for a resume or top-up
 * DIR/_stdp/committed/BATCH                            its work items and files
 * DIR/_stdp/staging/BATCH/{runs,checkpoints}           the batch's output before commit
 * DIR/summary/, curves/, thresholds/, report.html      written by the analysis jobs
 * </pre>
 *
 * A batch counts only once its record under {@code committed/} exists (written after all its
 * files are moved, atomically by rename) and every file it lists is still there. On start,
 * {@link #repair()} deletes staging output and files of batches without a valid record, so a
 * crash at any point, or a deleted part of the output, leaves nothing half-counted.
 */
final class OutputDir {
    static final String BATCH_SEPARATOR = "--";
    /** What a directory argument may be, for messages. */
    static final String ALLOWED = "a local path, or the URI of a Hadoop file system whose client is on the "
        + "classpath (file:, hdfs:, s3a:, abfs:, ...)";
    /** {@code runs} and {@code checkpoints} are partitioned by these, in this order (docs/output-schema.md). */
    static final String[] PARTITION_COLUMNS = {"d", "cell_id"};
    private static final String STATE = "_stdp";
    private static final String RUNS = "runs";
    private static final String CHECKPOINTS = "checkpoints";
    private static final String CELLS = "cells";
    private static final String MANIFEST = "manifest.json";

    /** Every top-level name stdp-sweep writes into DIR, the analysis jobs' tables and report included. */
    private static final Set<String> OWN = Set.of(RUNS, CHECKPOINTS, CELLS, MANIFEST, STATE,
        AnalysisJobs.SUMMARY, AnalysisJobs.CURVES, AnalysisJobs.THRESHOLDS, Report.FILE);
    /**
     * Our temporaries: the analysis jobs' table swaps ({@code summary.tmp-UUID}, {@code summary.old-UUID}),
     * the report's hidden temporary, and this class's write-then-rename siblings ({@code .manifest.json.tmp},
     * {@code .cells.old}, ...).
     */
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Pattern OWN_TEMPORARY = Pattern.compile(
        "(?:" + AnalysisJobs.SUMMARY + "|" + AnalysisJobs.CURVES + "|" + AnalysisJobs.THRESHOLDS + ")"
            + "\\.(?:tmp|old)-" + UUID
            + "|\\." + Pattern.quote(Report.FILE) + "\\.tmp-" + UUID
            + "|\\.(?:" + Pattern.quote(CELLS) + "|" + Pattern.quote(MANIFEST) + ")\\.(?:tmp|old)");

    private final FileSystem fs;
    private final Path root;

    private OutputDir(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /**
     * @throws IllegalArgumentException saying why {@code dir} names no directory Hadoop can reach: it is
     *                                  blank, not a valid path or URI, or of a scheme with no file system client
     */
    static OutputDir of(String dir, Configuration conf) {
        if (dir.isBlank()) {
            throw new IllegalArgumentException("it is empty");
        }
        try {
            final Path p = new Path(dir);
            return of(p.getFileSystem(conf), p);
        } catch (IOException | RuntimeException e) {
            // UnsupportedFileSystemException for an unknown scheme; a bad URI or a missing client class otherwise.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static OutputDir of(FileSystem fs, Path dir) {
        return new OutputDir(fs, fs.makeQualified(dir));
    }

    Path root() {
        return root;
    }

    Path runs() {
        return new Path(root, RUNS);
    }

    Path checkpoints() {
        return new Path(root, CHECKPOINTS);
    }

    Path cells() {
        return new Path(root, CELLS);
    }

    Path manifest() {
        return new Path(root, MANIFEST);
    }

    private Path state() {
        return new Path(root, STATE);
    }

    private Path compatibility() {
        return new Path(state(), "compatibility");
    }

    private Path committed() {
        return new Path(state(), "committed");
    }

    Path staging(String batch) {
        return new Path(new Path(state(), "staging"), batch);
    }

    /** Where a batch's {@code runs} files wait for {@link #commit}. */
    Path stagedRuns(String batch) {
        return staged(batch, RUNS);
    }

    /** Where a batch's {@code checkpoints} files wait for {@link #commit}. */
    Path stagedCheckpoints(String batch) {
        return staged(batch, CHECKPOINTS);
    }

    private Path staged(String batch, String table) {
        return new Path(staging(batch), table);
    }

    /**
     * The directory of one cell's files in {@code table} (or its staging copy): the layout of
     * Spark's {@code partitionBy(}{@link #PARTITION_COLUMNS}{@code )}, for files written without it.
     */
    static Path partition(Path table, int d, String cellId) {
        return new Path(new Path(table, PARTITION_COLUMNS[0] + "=" + d), PARTITION_COLUMNS[1] + "=" + cellId);
    }

    /** @return whether the directory exists and holds anything */
    boolean isNonEmpty() throws IOException {
        return fs.exists(root) && fs.listStatus(root).length > 0;
    }

    /** @return whether the directory has a runs table (what {@code analyze} needs) */
    boolean hasRuns() throws IOException {
        return fs.exists(runs());
    }

    /** @return whether the directory is stdp-sweep output (it has our state folder) */
    boolean isSweepOutput() throws IOException {
        return fs.exists(compatibility());
    }

    /** @return the compatibility key recorded by the sweep that created this directory */
    String readCompatibility() throws IOException {
        return read(compatibility());
    }

    /**
     * Creates the directory (if needed) and records the compatibility key; also proves the
     * directory writable before any compute starts.
     */
    void initialise(String compatibilityKey) throws IOException {
        fs.mkdirs(committed());
        if (!fs.exists(compatibility())) {
            writeAtomically(compatibility(), compatibilityKey);
        }
    }

    /** @return whether {@code name}, an entry of DIR, is one stdp-sweep writes (or its checksum file) */
    static boolean isOwn(String name) {
        // Hadoop's local file system writes a checksum file .NAME.crc beside each file NAME.
        if (name.length() > 5 && name.startsWith(".") && name.endsWith(".crc")) {
            return isOwn(name.substring(1, name.length() - 4));
        }
        return OWN.contains(name) || OWN_TEMPORARY.matcher(name).matches();
    }

    /** What {@link #deleteOwn()} removed, and the entries it left because stdp-sweep did not write them. */
    record Cleared(List<String> removed, List<String> kept) {
    }

    /**
     * Deletes stdp-sweep's own entries of the directory (see {@link #isOwn}), for {@code --overwrite}
     * of an incompatible sweep's output; anything else in it (notes, notebooks) is kept.
     */
    Cleared deleteOwn() throws IOException {
        final FileStatus[] entries = fs.listStatus(root);
        Arrays.sort(entries, Comparator.comparing(st -> st.getPath().getName()));
        final List<String> removed = new ArrayList<>();
        final List<String> kept = new ArrayList<>();
        for (FileStatus st : entries) {
            final String name = st.getPath().getName();
            if (!isOwn(name)) {
                kept.add(name);
            } else if (!name.equals(STATE)) {
                delete(st.getPath());
                removed.add(name);
            }
        }
        // The state folder last: an interrupted --overwrite still finds sweep output and can be repeated.
        if (fs.exists(state())) {
            delete(state());
            removed.add(STATE);
        }
        return new Cleared(removed, kept);
    }

    private void delete(Path p) throws IOException {
        if (!fs.delete(p, true) && fs.exists(p)) {
            throw new IOException("could not delete " + p);
        }
    }

    /** @return the committed replicate ranges per cell id */
    Map<String, ReplicateRanges> committedRanges() throws IOException {
        final Map<String, ReplicateRanges> done = new HashMap<>();
        for (String batch : committedBatches()) {
            for (String line : read(new Path(committed(), batch)).split("\n")) {
                final String[] f = line.trim().split(" ");
                if (f.length == 4 && f[0].equals("U")) {
                    final long first = Long.parseLong(f[2]);
                    final long end = Long.parseLong(f[3]);
                    done.merge(f[1], ReplicateRanges.EMPTY.with(first, end), (a, b) -> a.with(first, end));
                }
            }
        }
        return done;
    }

    private Set<String> committedBatches() throws IOException {
        final Set<String> batches = new HashSet<>();
        if (fs.exists(committed())) {
            for (FileStatus st : fs.listStatus(committed())) {
                if (!st.getPath().getName().startsWith(".")) {
                    batches.add(st.getPath().getName());
                }
            }
        }
        return batches;
    }

    /**
     * Makes the directory consistent before planning: deletes all staging output; puts back
     * {@code cells} or {@code manifest.json} if a crash left it aside mid-replacement; drops the
     * record of any committed batch one of whose files is gone (someone deleted part of the
     * output), so its work is planned again; and deletes data files of batches without a record.
     *
     * @return a one-line account of what was removed, or null when nothing was
     */
    String repair() throws IOException {
        fs.delete(new Path(state(), "staging"), true);
        // cells/ keeps earlier sweeps' cells that only the old copy may hold; manifest.json is for readers.
        final List<String> restored = new ArrayList<>();
        for (Path target : new Path[] {cells(), manifest()}) {
            if (restoreAside(target)) {
                restored.add(target.getName());
            }
        }
        final Set<String> committed = committedBatches();
        final List<String> broken = brokenBatches(committed);
        for (String batch : broken) {
            fs.delete(new Path(committed(), batch), false);
            committed.remove(batch);
        }
        final int dropped = broken.size();
        final List<Path> orphans = orphans(committed);
        for (Path file : orphans) {
            fs.delete(file, false);
        }
        final int removed = orphans.size();
        if (dropped == 0 && removed == 0 && restored.isEmpty()) {
            return null;
        }
        return "dropped " + dropped + " batch record(s) whose files were missing and removed " + removed
            + " data file(s) of unrecorded batches"
            + (restored.isEmpty() ? "" : "; restored " + String.join(" and ", restored) + " from an interrupted "
                + "replacement");
    }

    /** The batches of {@code committed} whose record lists a file that is gone. */
    private List<String> brokenBatches(Set<String> committed) throws IOException {
        final List<String> broken = new ArrayList<>();
        for (String batch : committed) {
            for (String line : read(new Path(committed(), batch)).split("\n")) {
                final String[] f = line.trim().split(" ");
                if (f.length == 2 && f[0].equals("F") && !fs.exists(new Path(root, f[1]))) {
                    broken.add(batch);
                    break;
                }
            }
        }
        return broken;
    }

    /** The data files of {@code runs} and {@code checkpoints} whose batch is not in {@code valid}. */
    private List<Path> orphans(Set<String> valid) throws IOException {
        final List<Path> orphans = new ArrayList<>();
        for (Path table : new Path[] {runs(), checkpoints()}) {
            for (Path file : dataFiles(table)) {
                final String name = file.getName();
                final int sep = name.indexOf(BATCH_SEPARATOR);
                if (sep < 0 || !valid.contains(name.substring(0, sep))) {
                    orphans.add(file);
                }
            }
        }
        return orphans;
    }

    /**
     * What {@link #repair} would remove, counted without changing anything: data files that no
     * valid completion record covers (a commit was interrupted, or part of a batch was deleted),
     * and files left under staging.
     */
    record Unrecorded(int dataFiles, int stagingFiles) {
    }

    Unrecorded unrecorded() throws IOException {
        final Set<String> valid = committedBatches();
        brokenBatches(valid).forEach(valid::remove);
        return new Unrecorded(orphans(valid).size(), dataFiles(new Path(state(), "staging")).size());
    }

    /**
     * Moves a batch's staged files into the tables, prefixing each name with the batch id, then
     * writes the batch's completion record: its work items ({@code U cell_id first end}) and
     * its files ({@code F path}), so a later start can tell whether it is still whole.
     */
    void commit(String batch, List<WorkItem> items) throws IOException {
        final StringBuilder record = new StringBuilder();
        for (String table : new String[] {RUNS, CHECKPOINTS}) {
            final Path from = staged(batch, table);
            final String prefix = from.toUri().getPath();
            for (Path file : dataFiles(from)) {
                final String relativeDir = file.getParent().toUri().getPath().substring(prefix.length());
                final String relative = table + relativeDir + "/" + batch + BATCH_SEPARATOR + file.getName();
                final Path target = new Path(root, relative);
                fs.mkdirs(target.getParent());
                if (!fs.rename(file, target)) {
                    throw new IOException("could not move " + file + " to " + target);
                }
                record.append("F ").append(relative).append('\n');
            }
        }
        for (WorkItem item : items) {
            record.append("U ").append(item.getCellId()).append(' ').append(item.getFirstReplicate()).append(' ')
                .append(item.getEndReplicate()).append('\n');
        }
        writeAtomically(new Path(committed(), batch), record.toString());
        fs.delete(staging(batch), true);
    }

    /**
     * Moves the complete {@code ready} (file or directory) onto {@code target}, the old one waiting
     * at {@link #aside} meanwhile ({@link TableSwap#replace(FileSystem, Path, Path, Path)}). A crash
     * between the two renames leaves the old one aside, and {@link #repair} restores it.
     */
    void replace(Path ready, Path target) throws IOException {
        if (fs.exists(target)) {
            fs.delete(aside(target), true); // left by a crash after a swap's second rename: the target is newer
        }
        TableSwap.replace(fs, ready, target, aside(target));
    }

    /** @return the Parquet data files below {@code dir}, skipping hidden and underscore names */
    private List<Path> dataFiles(Path dir) throws IOException {
        final List<Path> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        final RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            final Path p = it.next().getPath();
            final String name = p.getName();
            if (!name.startsWith("_") && !name.startsWith(".")) {
                files.add(p);
            }
        }
        return files;
    }

    /** Writes {@code content} to a hidden temporary sibling, then moves it into place by {@link #replace}. */
    void writeAtomically(Path target, String content) throws IOException {
        final Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        replace(tmp, target);
    }

    /** The hidden sibling that holds {@code target}'s previous content while it is replaced. */
    static Path aside(Path target) {
        return new Path(target.getParent(), "." + target.getName() + ".old");
    }

    /** Puts back a target that a crash left aside mid-swap, and says whether there was one. */
    private boolean restoreAside(Path target) throws IOException {
        final Path old = aside(target);
        if (fs.exists(target) || !fs.exists(old)) {
            return false;
        }
        if (!fs.rename(old, target)) {
            throw new IOException("could not move " + old + " back to " + target);
        }
        return true;
    }

    String read(Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

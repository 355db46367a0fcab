package org.stdpsweep.sweep;

import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.kernel.StdpKernel;
import org.stdpsweep.kernel.StreamSeed;
import org.stdpsweep.analysis.SweepTables;
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

import scala.collection.immutable.ArraySeq;

/**
 * The files of {@code runs} and {@code checkpoints} the tasks write: the same files as Spark's
 * partitioned writer made of the rows the sweep handed it before (the code paths they replace,
 * rebuilt here as the reference), and one file per partition and cell however many attempts
 * wrote it.
 */
class CellFilesTest {
    private static SparkSession spark;
    private static Broadcast<SerializableConfiguration> hadoopConf;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.local(1);
        hadoopConf = CellFiles.Target.hadoopConf(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Three runs of each of the first two cells of the small grid. */
    private static List<SimulationTask.Run> runs() {
        return runs(SparkTestSupport.spec().cells().subList(0, 2), 5, 8);
    }

    /** Replicates {@code first} to {@code end} (exclusive) of each of {@code cells}, grouped by cell. */
    private static List<SimulationTask.Run> runs(List<Cell> cells, long first, long end) {
        final SweepSpec spec = SparkTestSupport.spec();
        final StdpKernel kernel = new StdpKernel();
        final List<SimulationTask.Run> runs = new ArrayList<>();
        for (Cell cell : cells) {
            final RunParameters p = cell.params();
            for (long r = first; r < end; r++) {
                final SimulationTask.Run run = new SimulationTask.Run();
                run.cell = cell;
                run.params = p;
                run.replicate = r;
                run.seed = StreamSeed.of(spec.seed(), p, r);
                run.result = kernel.run(p, run.seed);
                runs.add(run);
            }
        }
        return runs;
    }

    private CellFiles.Target target(Path dir) {
        return CellFiles.Target.of(spark, new org.apache.hadoop.fs.Path(dir.toUri()), hadoopConf);
    }

    /** A task attempt's files of both tables, under {@code DIR/runs} and {@code DIR/checkpoints}. */
    private record Attempt(CellFiles<SimulationTask.Run> runs, CellFiles<SimulationTask.Run> checkpoints) {
        static Attempt of(CellFilesTest test, Path dir, int partition, long attemptId) {
            return of(test.target(dir.resolve("runs")), test.target(dir.resolve("checkpoints")), partition, attemptId);
        }

        static Attempt of(CellFiles.Target runs, CellFiles.Target checkpoints, int partition, long attemptId) {
            return new Attempt(new CellFiles<>(SimulationTask.RUNS, runs, partition, attemptId),
                new CellFiles<>(SimulationTask.CHECKPOINTS, checkpoints, partition, attemptId));
        }

        void write(List<SimulationTask.Run> runs) {
            for (SimulationTask.Run run : runs) {
                SimulationTask.write(run, this.runs, checkpoints);
            }
        }

        void finish() throws IOException {
            runs.finish();
            checkpoints.finish();
        }

        void abort() {
            runs.abort();
            checkpoints.abort();
        }
    }

    private static void write(Attempt attempt, List<SimulationTask.Run> runs) throws IOException {
        attempt.write(runs);
        attempt.finish();
    }

    /** The way the sweep wrote both tables before: rows handed to Spark's partitioned writer. */
    private static void writeWithSpark(List<SimulationTask.Run> runs, Path dir) {
        final List<Row> rows = runs.stream().map(CellFilesTest::runsRow).collect(Collectors.toList());
        spark.createDataFrame(rows, SweepTables.RUNS).coalesce(1)
            .write().mode(SaveMode.ErrorIfExists).partitionBy("d", "cell_id").parquet(dir.resolve("runs").toString());
        // checkpoints: Spark exploded the aligned arrays.
        final StructType schema = new StructType()
            .add("cell_id", DataTypes.StringType, false)
            .add("d", DataTypes.IntegerType, false)
            .add("replicate", DataTypes.LongType, false)
            .add("ck_k", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("ck_dist", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("ck_margin", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        final List<Row> arrays = runs.stream().map(r -> RowFactory.create(r.cell.cellId(), r.cell.d(), r.replicate,
            CellsTable.seq(r.result.checkpoints()), CellsTable.seq(r.result.checkpointDist()),
            CellsTable.seq(r.result.checkpointMargin())))
            .collect(Collectors.toList());
        spark.createDataFrame(arrays, schema).coalesce(1)
            .select(col("cell_id"), col("d"), col("replicate"),
                explode(arrays_zip(col("ck_k"), col("ck_dist"), col("ck_margin"))).as("c"))
            .select(col("cell_id"), col("d"), col("replicate"), col("c.ck_k").as("k"),
                col("c.ck_dist").as("dist"), col("c.ck_margin").as("margin"))
            .write().mode(SaveMode.ErrorIfExists).partitionBy("d", "cell_id")
            .parquet(dir.resolve("checkpoints").toString());
    }

    /** A run's row of {@code runs} as the sweep built it for Spark's row encoder before (docs/output-schema.md). */
    private static Row runsRow(SimulationTask.Run run) {
        final Cell cell = run.cell;
        final RunResult r = run.result;
        final double[] thresholds = run.params.hitThresholds();
        final Integer[] hitTimes = new Integer[thresholds.length];
        Integer hit1e3 = null;
        for (int j = 0; j < thresholds.length; j++) {
            hitTimes[j] = r.hitTimes()[j] == RunResult.NEVER ? null : r.hitTimes()[j];
            if (thresholds[j] == 1e-3) {
                hit1e3 = hitTimes[j];
            }
        }
        final StringBuilder seed = new StringBuilder();
        for (long w : run.seed) {
            seed.append(String.format("%016x", w));
        }
        return RowFactory.create(cell.cellId(), cell.d(), cell.alpha(), cell.delta(), cell.gamma(), cell.rho(),
            cell.blockSize(), cell.noise(), cell.q(), run.params.iterations(), run.replicate, seed.toString(),
            r.converged(), r.winner(), r.finalDist(), r.finalMargin(), r.thetaHeld() ? null : r.thetaExit(),
            CellsTable.seq(thresholds), ArraySeq.unsafeWrapArray(hitTimes), hit1e3, r.stopReason().name(), r.iterationsRun());
    }

    /** The data files below {@code dir}, relative, hidden and underscore names left out as readers do. */
    private static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
                .map(dir::relativize).sorted().collect(Collectors.toList());
        }
    }

    private static FileMetaData footer(Path file) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            return r.getFooter().getFileMetaData();
        }
    }

    private static List<String> codecs(Path file) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            return r.getFooter().getBlocks().stream().flatMap(b -> b.getColumns().stream())
                .map(ColumnChunkMetaData::getCodec).map(Enum::name).collect(Collectors.toList());
        }
    }

    /** Spark's codecs for Parquet that need no native library beyond Spark's own. */
    @ParameterizedTest
    @ValueSource(strings = {"snappy", "none", "uncompressed", "gzip", "zstd", "lz4_raw"})
    void filesAreThoseOfSparksPartitionedWriter(String codec) throws IOException {
        final String key = "spark.sql.parquet.compression.codec";
        final String before = CellFilesTest.spark.conf().get(key);
        CellFilesTest.spark.conf().set(key, codec);
        try {
            compareWithSpark(codec);
        } finally {
            CellFilesTest.spark.conf().set(key, before);
        }
    }

    private void compareWithSpark(String codec) throws IOException {
        // Every run of the small grid: its 16 cells, so theta exits, unhit thresholds and both
        // kinds of stop occur (checked below), and every null path of the runs writer is taken.
        final List<SimulationTask.Run> runs = runs(SparkTestSupport.spec().cells(), 0, 12);
        final Path ours = tmp.resolve("ours-" + codec);
        final Path spark = tmp.resolve("spark-" + codec);
        write(Attempt.of(this, ours, 3, 17), runs);
        writeWithSpark(runs, spark);

        for (String table : List.of("runs", "checkpoints")) {
            final List<Path> ourFiles = dataFiles(ours.resolve(table));
            final List<Path> sparkFiles = dataFiles(spark.resolve(table));
            assertEquals(16, ourFiles.size(), table + ": one file per cell: " + ourFiles);
            assertEquals(sparkFiles.stream().map(Path::getParent).collect(Collectors.toList()),
                ourFiles.stream().map(Path::getParent).collect(Collectors.toList()), table + ": partition directories");
            for (int i = 0; i < ourFiles.size(); i++) {
                // Spark's name is part-00000-UUID.c000.EXT.parquet; ours part-00003.EXT.parquet, the same EXT.
                final String sparkName = sparkFiles.get(i).getFileName().toString();
                assertEquals("part-00003" + sparkName.substring(sparkName.indexOf(".c000") + ".c000".length()),
                    ourFiles.get(i).getFileName().toString(), table + ", " + codec);
                final Path a = ours.resolve(table).resolve(ourFiles.get(i));
                final Path b = spark.resolve(table).resolve(sparkFiles.get(i));
                assertEquals(footer(b).getSchema(), footer(a).getSchema(), table);
                assertEquals(footer(b).getKeyValueMetaData(), footer(a).getKeyValueMetaData(), table);
                assertEquals(codecs(b), codecs(a), table);
            }
            final Dataset<Row> a = CellFilesTest.spark.read().parquet(ours.resolve(table).toString());
            final Dataset<Row> b = CellFilesTest.spark.read().parquet(spark.resolve(table).toString());
            assertEquals(b.schema(), a.schema(), table);
            assertEquals(table.equals("runs") ? runs.size() : runs.size() * runs.get(0).result.checkpoints().length,
                a.count(), table);
            assertTrue(SparkTestSupport.sameRows(a, b), table);
        }
        // The rows compared above take every branch of the runs writer.
        final Dataset<Row> a = CellFilesTest.spark.read().parquet(ours.resolve("runs").toString()).cache();
        for (String branch : new String[] {"theta_exit IS NULL", "theta_exit IS NOT NULL", "hit_time_1e3 IS NULL",
            "hit_time_1e3 IS NOT NULL", "exists(hit_times, t -> t IS NULL)", "NOT converged", "converged"}) {
            assertTrue(a.where(branch).count() > 0, "no run with " + branch);
        }
        a.unpersist();
    }

    /** Both tables' rows as they are now, cached, to compare with after more attempts. */
    private static Map<String, Dataset<Row>> rows(Path dir) {
        final Map<String, Dataset<Row>> rows = new TreeMap<>();
        for (String table : List.of("runs", "checkpoints")) {
            final Dataset<Row> once = spark.read().parquet(dir.resolve(table).toString()).cache();
            once.count();
            rows.put(table, once);
        }
        return rows;
    }

    @Test
    void anotherAttemptOfThePartitionLeavesOneFileOfTheSameRows() throws IOException {
        final List<SimulationTask.Run> runs = runs();
        final Path dir = tmp.resolve("retried");
        write(Attempt.of(this, dir, 0, 1), runs);
        final List<Path> first = dataFiles(dir);
        assertEquals(4, first.size(), "a file per table and cell: " + first);
        final Map<String, Dataset<Row>> once = rows(dir);

        // An attempt that fails half-way (its first cell written, its second open) adds no data file...
        final Attempt failed = Attempt.of(this, dir, 0, 2);
        failed.write(runs.subList(0, 5));
        failed.abort();
        assertEquals(first, dataFiles(dir));
        // ... and a successful one renames over the files of the first, with the same rows.
        write(Attempt.of(this, dir, 0, 3), runs);
        assertSameFilesAndRowsWithoutTemporaries(dir, first, once, "attempts that finished or aborted");
    }

    /**
     * Local files with the rename of HDFS, S3A and ABFS, where a rename onto an existing file is
     * refused (returns false) instead of replacing it as on a local file system.
     */
    public static final class NoReplaceFileSystem extends RawLocalFileSystem {
        static final String SCHEME = "noreplace";

        @Override
        public URI getUri() {
            return URI.create(SCHEME + ":///");
        }

        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) throws IOException {
            return !exists(dst) && super.rename(src, dst);
        }
    }

    @Test
    void whereARenameCannotReplaceAnotherAttemptKeepsTheFirstFilesAndLeavesNoTemporary() throws IOException {
        final List<SimulationTask.Run> runs = runs();
        final Path dir = tmp.resolve("no-replace");
        final Configuration conf = spark.sessionState().newHadoopConf();
        conf.set("fs." + NoReplaceFileSystem.SCHEME + ".impl", NoReplaceFileSystem.class.getName());
        conf.setBoolean("fs." + NoReplaceFileSystem.SCHEME + ".impl.disable.cache", true);
        final Broadcast<SerializableConfiguration> noReplace = CellFiles.Target.hadoopConf(spark, conf);
        final CellFiles.Target runsTarget = CellFiles.Target.of(spark,
            new org.apache.hadoop.fs.Path(NoReplaceFileSystem.SCHEME + "://" + dir.resolve("runs").toUri().getPath()),
            noReplace);
        final CellFiles.Target checkpointsTarget = CellFiles.Target.of(spark, new org.apache.hadoop.fs.Path(
            NoReplaceFileSystem.SCHEME + "://" + dir.resolve("checkpoints").toUri().getPath()), noReplace);
        write(Attempt.of(runsTarget, checkpointsTarget, 0, 1), runs);
        final List<Path> first = dataFiles(dir);
        assertEquals(4, first.size(), first.toString());
        final Map<String, Dataset<Row>> once = rows(dir);
        // The second attempt's renames are refused: its files must give way, not fail the task.
        write(Attempt.of(runsTarget, checkpointsTarget, 0, 2), runs);
        assertSameFilesAndRowsWithoutTemporaries(dir, first, once, "the attempt whose renames were refused");
    }

    /** {@code dir} holds exactly the data files {@code first} with the rows {@code once}, and no attempt's temporary. */
    private static void assertSameFilesAndRowsWithoutTemporaries(Path dir, List<Path> first,
                                                               Map<String, Dataset<Row>> once, String attempts)
        throws IOException {
        assertEquals(first, dataFiles(dir));
        try (Stream<Path> walk = Files.walk(dir)) {
            assertEquals(List.of(), walk.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                .collect(Collectors.toList()), "no temporaries left by " + attempts);
        }
        for (Map.Entry<String, Dataset<Row>> table : once.entrySet()) {
            assertTrue(SparkTestSupport.sameRows(table.getValue(),
                spark.read().parquet(dir.resolve(table.getKey()).toString())), table.getKey());
            table.getValue().unpersist();
        }
    }

    @Test
    void aCellMetTwiceInOneTaskIsRefused() {
        final List<SimulationTask.Run> runs = runs();
        final Attempt attempt = Attempt.of(this, tmp.resolve("twice"), 0, 1);
        attempt.write(List.of(runs.get(0), runs.get(3)));
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> attempt.write(List.of(runs.get(1))));
        assertTrue(e.getMessage().contains(runs.get(0).cell.cellId()), e.getMessage());
        attempt.abort();
    }

    @Test
    void aWriterThatDisagreesWithItsSchemaIsRefused() {
        final CellFiles<SimulationTask.Run> short1 = new CellFiles<>(CellFiles.Table.of(
            SimulationTask.CHECKPOINTS.fileSchema(), (columns, run) -> columns.add(run.replicate)),
            target(tmp.resolve("short")), 0, 1);
        final SimulationTask.Run run = runs().get(0);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> short1.write(run.cell, run));
        assertTrue(e.getMessage().contains("wrote 1 of the 4 columns replicate, k, dist, margin"), e.getMessage());
        short1.abort();
    }

    @Test
    void aColumnTypeTheFilesCannotHoldIsRefused() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CellFiles.parquetSchema(new StructType().add("when", DataTypes.TimestampType, false)));
        assertTrue(e.getMessage().contains("column when has type timestamp"), e.getMessage());
    }
}

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
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

/**
 * The checkpoint files the tasks write: the same files as Spark's partitioned writer made of the
 * exploded checkpoint arrays (the code path they replace, rebuilt here as the reference), and
 * one file per partition and cell however many attempts wrote it.
 */
class CheckpointFilesTest {
    private static SparkSession spark;
    private static Broadcast<SerializableConfiguration> hadoopConf;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.local(1);
        hadoopConf = CheckpointFiles.Target.hadoopConf(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Three runs of each of the first two cells of the small grid, with their replicate indices. */
    private record Run(Cell cell, long replicate, RunResult result) {
    }

    private static List<Run> runs() {
        final SweepSpec spec = SparkTestSupport.spec();
        final StdpKernel kernel = new StdpKernel();
        final List<Run> runs = new ArrayList<>();
        for (Cell cell : spec.cells().subList(0, 2)) {
            final RunParameters p = cell.params();
            for (long r = 5; r < 8; r++) {
                runs.add(new Run(cell, r, kernel.run(p, StreamSeed.of(spec.seed(), p, r))));
            }
        }
        return runs;
    }

    private CheckpointFiles.Target target(Path dir) {
        return CheckpointFiles.Target.of(spark, new org.apache.hadoop.fs.Path(dir.toUri()), hadoopConf);
    }

    private static void write(CheckpointFiles files, List<Run> runs) throws IOException {
        for (Run run : runs) {
            files.append(run.cell(), run.replicate(), run.result());
        }
        files.finish();
    }

    /** The way the sweep wrote checkpoints before: Spark explodes the aligned arrays and writes them partitioned. */
    private static void writeWithSpark(List<Run> runs, Path dir) {
        final StructType schema = new StructType()
            .add("cell_id", DataTypes.StringType, false)
            .add("d", DataTypes.IntegerType, false)
            .add("replicate", DataTypes.LongType, false)
            .add("ck_k", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("ck_dist", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("ck_margin", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        final List<Row> rows = runs.stream().map(r -> RowFactory.create(r.cell().cellId(), r.cell().d(), r.replicate(),
            RunRows.seq(r.result().checkpoints()), RunRows.seq(r.result().checkpointDist()),
            RunRows.seq(r.result().checkpointMargin()))).collect(Collectors.toList());
        spark.createDataFrame(rows, schema).coalesce(1)
            .select(col("cell_id"), col("d"), col("replicate"),
                explode(arrays_zip(col("ck_k"), col("ck_dist"), col("ck_margin"))).as("c"))
            .select(col("cell_id"), col("d"), col("replicate"), col("c.ck_k").as("k"),
                col("c.ck_dist").as("dist"), col("c.ck_margin").as("margin"))
            .write().mode(SaveMode.ErrorIfExists).partitionBy("d", "cell_id").parquet(dir.toString());
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
        final String before = CheckpointFilesTest.spark.conf().get(key);
        CheckpointFilesTest.spark.conf().set(key, codec);
        try {
            compareWithSpark(codec);
        } finally {
            CheckpointFilesTest.spark.conf().set(key, before);
        }
    }

    private void compareWithSpark(String codec) throws IOException {
        final List<Run> runs = runs();
        final Path ours = tmp.resolve("ours-" + codec);
        final Path spark = tmp.resolve("spark-" + codec);
        write(new CheckpointFiles(target(ours), 3, 17), runs);
        writeWithSpark(runs, spark);

        final List<Path> ourFiles = dataFiles(ours);
        final List<Path> sparkFiles = dataFiles(spark);
        assertEquals(2, ourFiles.size(), "one file per cell: " + ourFiles);
        assertEquals(sparkFiles.stream().map(Path::getParent).collect(Collectors.toList()),
            ourFiles.stream().map(Path::getParent).collect(Collectors.toList()), "the same partition directories");
        for (int i = 0; i < ourFiles.size(); i++) {
            // Spark's name is part-00000-UUID.c000.EXT.parquet; ours part-00003.EXT.parquet, the same EXT.
            final String sparkName = sparkFiles.get(i).getFileName().toString();
            assertEquals("part-00003" + sparkName.substring(sparkName.indexOf(".c000") + ".c000".length()),
                ourFiles.get(i).getFileName().toString(), codec);
            final FileMetaData a = footer(ours.resolve(ourFiles.get(i)));
            final FileMetaData b = footer(spark.resolve(sparkFiles.get(i)));
            assertEquals(b.getSchema(), a.getSchema());
            assertEquals(b.getKeyValueMetaData(), a.getKeyValueMetaData());
            assertEquals(codecs(spark.resolve(sparkFiles.get(i))), codecs(ours.resolve(ourFiles.get(i))));
        }
        final Dataset<Row> a = CheckpointFilesTest.spark.read().parquet(ours.toString());
        final Dataset<Row> b = CheckpointFilesTest.spark.read().parquet(spark.toString());
        assertEquals(b.schema(), a.schema());
        final long perRun = runs.get(0).result().checkpoints().length;
        assertEquals(runs.size() * perRun, a.count());
        assertTrue(SparkTestSupport.sameRows(a, b));
    }

    @Test
    void anotherAttemptOfThePartitionLeavesOneFileOfTheSameRows() throws IOException {
        final List<Run> runs = runs();
        final Path dir = tmp.resolve("retried");
        write(new CheckpointFiles(target(dir), 0, 1), runs);
        final List<Path> first = dataFiles(dir);
        final Dataset<Row> once = spark.read().parquet(dir.toString()).cache();
        once.count();

        // An attempt that fails half-way (its first cell written, its second open) adds no data file...
        final CheckpointFiles failed = new CheckpointFiles(target(dir), 0, 2);
        for (Run run : runs.subList(0, 5)) {
            failed.append(run.cell(), run.replicate(), run.result());
        }
        failed.abort();
        assertEquals(first, dataFiles(dir));
        // ... and a successful one renames over the files of the first, with the same rows.
        write(new CheckpointFiles(target(dir), 0, 3), runs);
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
        final List<Run> runs = runs();
        final Path dir = tmp.resolve("no-replace");
        final Configuration conf = spark.sessionState().newHadoopConf();
        conf.set("fs." + NoReplaceFileSystem.SCHEME + ".impl", NoReplaceFileSystem.class.getName());
        conf.setBoolean("fs." + NoReplaceFileSystem.SCHEME + ".impl.disable.cache", true);
        final CheckpointFiles.Target target = CheckpointFiles.Target.of(spark,
            new org.apache.hadoop.fs.Path(NoReplaceFileSystem.SCHEME + "://" + dir.toUri().getPath()),
            CheckpointFiles.Target.hadoopConf(spark, conf));
        write(new CheckpointFiles(target, 0, 1), runs);
        final List<Path> first = dataFiles(dir);
        assertEquals(2, first.size(), first.toString());
        final Dataset<Row> once = spark.read().parquet(dir.toString()).cache();
        once.count();
        // The second attempt's renames are refused: its files must give way, not fail the task.
        write(new CheckpointFiles(target, 0, 2), runs);
        assertSameFilesAndRowsWithoutTemporaries(dir, first, once, "the attempt whose renames were refused");
    }

    /** {@code dir} holds exactly the data files {@code first} with the rows {@code once}, and no attempt's temporary. */
    private static void assertSameFilesAndRowsWithoutTemporaries(Path dir, List<Path> first, Dataset<Row> once,
                                                               String attempts) throws IOException {
        assertEquals(first, dataFiles(dir));
        try (Stream<Path> walk = Files.walk(dir)) {
            assertEquals(List.of(), walk.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                .collect(Collectors.toList()), "no temporaries left by " + attempts);
        }
        assertTrue(SparkTestSupport.sameRows(once, spark.read().parquet(dir.toString())));
        once.unpersist();
    }

    @Test
    void aCellMetTwiceInOneTaskIsRefused() throws IOException {
        final List<Run> runs = runs();
        final CheckpointFiles files = new CheckpointFiles(target(tmp.resolve("twice")), 0, 1);
        files.append(runs.get(0).cell(), 0, runs.get(0).result());
        files.append(runs.get(3).cell(), 0, runs.get(3).result());
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> files.append(runs.get(0).cell(), 1, runs.get(0).result()));
        assertTrue(e.getMessage().contains(runs.get(0).cell().cellId()), e.getMessage());
        files.abort();
    }
}

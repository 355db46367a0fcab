package org.stdpsweep.sweep;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.sweep.config.Cell;

/**
 * Writes a task's rows of {@code DIR/checkpoints} straight from the simulation, one Parquet file
 * per (task, cell) under a batch's staging directory, so that no second Spark job has to keep the
 * runs cached, re-read them and explode their checkpoint arrays (that job and its gaps took about
 * 1 s of each 11 s batch; the sweep takes 7% less time without it, docs/performance.md). The
 * files are the ones Spark's partitioned writer made before: the same directories ({@code d=../cell_id=..}), Parquet schema, Spark row metadata and codec.
 *
 * <p>Safe under task retries without Spark's commit protocol: each attempt writes a hidden
 * temporary of its own and renames it to a name fixed by the partition index and the cell, and
 * every attempt of a partition writes the same rows (the simulation is deterministic), so
 * whichever rename lands, the file is the same. Hidden names are not data files: a failed
 * attempt's temporary is never committed ({@link OutputDir#commit}) and goes with the staging
 * directory. The batch is committed only after its Spark job succeeded, when every partition has
 * closed its files.
 */
final class CheckpointFiles {
    /**
     * The columns inside a file (the partition columns are in its path), exactly as Spark's writer
     * stored them from the exploded arrays: {@code replicate} required, the others optional, so
     * files of either origin in one directory have one schema.
     */
    static final StructType FILE_SCHEMA = new StructType()
        .add("replicate", DataTypes.LongType, false)
        .add("k", DataTypes.IntegerType, true)
        .add("dist", DataTypes.DoubleType, true)
        .add("margin", DataTypes.DoubleType, true);
    private static final MessageType PARQUET_SCHEMA = Types.buildMessage()
        .required(PrimitiveTypeName.INT64).named("replicate")
        .optional(PrimitiveTypeName.INT32).named("k")
        .optional(PrimitiveTypeName.DOUBLE).named("dist")
        .optional(PrimitiveTypeName.DOUBLE).named("margin")
        .named("spark_schema");
    /**
     * The footer's key-value metadata of Spark's writer: its schema, so Spark reads the columns
     * back as it wrote them, and its version (which Spark's readers consult for date rebasing).
     */
    private static final Map<String, String> SPARK_METADATA = Map.of(
        "org.apache.spark.sql.parquet.row.metadata", FILE_SCHEMA.json(),
        "org.apache.spark.version", org.apache.spark.package$.MODULE$.SPARK_VERSION());

    /** Where and how a batch's checkpoint files are written; built on the driver, sent with the tasks. */
    static final class Target implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String dir;
        private final Broadcast<SerializableConfiguration> hadoopConf;
        private final String codec;

        /**
         * @param dir        the batch's staging directory of the {@code checkpoints} table
         * @param hadoopConf the session's Hadoop settings, as Spark's writer uses them (file system
         *                   clients, credentials, Parquet options)
         * @param codec      Spark's {@code spark.sql.parquet.compression.codec}
         */
        private Target(Path dir, Broadcast<SerializableConfiguration> hadoopConf, String codec) {
            this.dir = dir.toString();
            this.hadoopConf = hadoopConf;
            this.codec = codec;
        }

        /** A batch's target: its staging directory, the broadcast settings, the session's Parquet codec. */
        static Target of(SparkSession spark, Path dir, Broadcast<SerializableConfiguration> hadoopConf) {
            return new Target(dir, hadoopConf, spark.conf().get("spark.sql.parquet.compression.codec"));
        }

        /** The session's Hadoop settings as Spark's own writer takes them, broadcast once for all batches. */
        static Broadcast<SerializableConfiguration> hadoopConf(SparkSession spark) {
            return hadoopConf(spark, spark.sessionState().newHadoopConf());
        }

        static Broadcast<SerializableConfiguration> hadoopConf(SparkSession spark, Configuration conf) {
            return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new SerializableConfiguration(conf));
        }
    }

    private final Path dir;
    private final Configuration conf;
    private final CompressionCodecName codec;
    private final String partFile;
    private final String attempt;
    private final Set<String> written = new HashSet<>();
    private final Checkpoint row = new Checkpoint();
    private ParquetWriter<Checkpoint> writer;
    private String cellId;
    private Path temporary;
    private Path target;

    /**
     * @param partition the task's partition index: it names the files, the same for every attempt
     * @param attemptId the task attempt's id, unique in the application: it names the temporaries
     */
    CheckpointFiles(Target target, int partition, long attemptId) {
        this.dir = new Path(target.dir);
        this.conf = target.hadoopConf.value().value();
        this.codec = codec(target.codec);
        this.partFile = String.format(Locale.ROOT, "part-%05d%s.parquet", partition, codec.getExtension());
        this.attempt = Long.toString(attemptId);
    }

    /** Spark's names for Parquet codecs are Parquet's, but for "none". */
    static CompressionCodecName codec(String spark) {
        final String name = spark.toLowerCase(Locale.ROOT);
        return name.equals("none") ? CompressionCodecName.UNCOMPRESSED : CompressionCodecName.fromConf(name);
    }

    /** Appends one run's checkpoints to its cell's file; a task's runs come grouped by cell. */
    void append(Cell cell, long replicate, RunResult result) {
        try {
            if (!cell.cellId().equals(cellId)) {
                finish();
                open(cell);
            }
            final int[] k = result.checkpoints();
            final double[] dist = result.checkpointDist();
            final double[] margin = result.checkpointMargin();
            row.replicate = replicate;
            for (int j = 0; j < k.length; j++) {
                row.k = k[j];
                row.dist = dist[j];
                row.margin = margin[j];
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the open file and moves it into place; called once the task's runs are all done. */
    void finish() throws IOException {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } finally {
            writer = null;
        }
        final FileSystem fs = target.getFileSystem(conf);
        fs.mkdirs(target.getParent());
        // A rename onto an existing file fails on HDFS and replaces it on a local file system;
        // either way the file there then holds this partition's rows, written by an earlier attempt.
        if (!fs.rename(temporary, target)) {
            if (!fs.exists(target)) {
                throw new IOException("could not move " + temporary + " to " + target);
            }
            fs.delete(temporary, false);
        }
    }

    /** Drops the open file of a failed attempt (its temporary would be ignored anyway). */
    void abort() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            // The task has failed already; the temporary is deleted below, or goes with the staging directory.
        } finally {
            writer = null;
            try {
                temporary.getFileSystem(conf).delete(temporary, false);
            } catch (IOException | RuntimeException e) {
                // Hidden, so never committed; repair() deletes staging on the next start.
            }
        }
    }

    private void open(Cell cell) throws IOException {
        cellId = cell.cellId();
        if (!written.add(cellId)) {
            throw new IllegalStateException("cell " + cellId + " met twice in one task: its work items must be adjacent");
        }
        final Path cellDir = OutputDir.partition(dir, cell.d(), cellId);
        target = new Path(cellDir, partFile);
        temporary = new Path(cellDir, "." + partFile + ".attempt-" + attempt + ".tmp");
        writer = new Builder(HadoopOutputFile.fromPath(temporary, conf))
            .withConf(conf)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(codec)
            .withWriterVersion(WriterVersion.PARQUET_1_0)
            .withDictionaryEncoding(true)
            .build();
    }

    /** One row of a file, reused for every row so the hot path allocates nothing. */
    private static final class Checkpoint {
        long replicate;
        int k;
        double dist;
        double margin;
    }

    private static final class Builder extends ParquetWriter.Builder<Checkpoint, Builder> {
        Builder(OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Checkpoint> getWriteSupport(Configuration conf) {
            return new CheckpointWriteSupport();
        }
    }

    private static final class CheckpointWriteSupport extends WriteSupport<Checkpoint> {
        private RecordConsumer out;

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(PARQUET_SCHEMA, SPARK_METADATA);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Checkpoint c) {
            out.startMessage();
            out.startField("replicate", 0);
            out.addLong(c.replicate);
            out.endField("replicate", 0);
            out.startField("k", 1);
            out.addInteger(c.k);
            out.endField("k", 1);
            out.startField("dist", 2);
            out.addDouble(c.dist);
            out.endField("dist", 2);
            out.startField("margin", 3);
            out.addDouble(c.margin);
            out.endField("margin", 3);
            out.endMessage();
        }
    }
}

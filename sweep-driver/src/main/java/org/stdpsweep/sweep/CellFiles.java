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
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.stdpsweep.sweep.config.Cell;

/**
 * Writes a task's rows of one table ({@code runs} or {@code checkpoints}) straight from the
 * simulation, one Parquet file per (task, cell) under a batch's staging directory, instead of
 * handing rows to Spark SQL's partitioned writer: no second job to explode the checkpoint
 * arrays, no row encoding and no sort by partition of a task's rows, and about a quarter less
 * JIT compilation in a fresh JVM (docs/performance.md, fifth session).
 * The files are the ones Spark's partitioned writer makes: the same directories
 * ({@code d=../cell_id=..}), Parquet schema, Spark row metadata and codec.
 *
 * <p>Safe under task retries without Spark's commit protocol: each attempt writes a hidden
 * temporary of its own and renames it to a name fixed by the partition index and the cell, and
 * every attempt of a partition writes the same rows (the simulation is deterministic), so
 * whichever rename lands, the file is the same. Hidden names are not data files: a failed
 * attempt's temporary is never committed ({@link OutputDir#commit}) and goes with the staging
 * directory. The batch is committed only after its Spark job succeeded, when every partition has
 * closed its files.
 *
 * @param <T> the reused object one row is written from
 */
final class CellFiles<T> {

    /** Writes one row of a table: each of its columns, in order, into {@code columns}. */
    @FunctionalInterface
    interface RowWriter<T> {
        void write(Columns columns, T row);
    }

    /**
     * A table as its files hold it: the columns inside a file (the partition columns are in its
     * path), their Parquet schema as Spark's writer derives it, and Spark's footer metadata.
     */
    static final class Table<T> {
        private final StructType fileSchema;
        private final MessageType parquetSchema;
        private final Map<String, String> sparkMetadata;
        private final RowWriter<T> writer;

        private Table(StructType fileSchema, RowWriter<T> writer) {
            this.fileSchema = fileSchema;
            this.parquetSchema = parquetSchema(fileSchema);
            // Spark's schema, so Spark reads the columns back as it wrote them, and its version
            // (which Spark's readers consult for date rebasing).
            this.sparkMetadata = Map.of(
                "org.apache.spark.sql.parquet.row.metadata", fileSchema.json(),
                "org.apache.spark.version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
            this.writer = writer;
        }

        /**
         * @param fileSchema the columns inside a file, in order
         * @param writer     writes one row's fields, in that order
         */
        static <T> Table<T> of(StructType fileSchema, RowWriter<T> writer) {
            return new Table<>(fileSchema, writer);
        }

        StructType fileSchema() {
            return fileSchema;
        }
    }

    /**
     * The Parquet schema Spark's writer gives {@code schema} (standard, not legacy, format):
     * strings as UTF-8 binaries, arrays as three-level lists, a non-nullable field required.
     * Only the types of the sweep's tables are allowed.
     */
    static MessageType parquetSchema(StructType schema) {
        final Types.MessageTypeBuilder message = Types.buildMessage();
        for (StructField f : schema.fields()) {
            message.addField(parquetType(f.name(), f.dataType(), f.nullable()));
        }
        return message.named("spark_schema");
    }

    private static Type parquetType(String name, DataType type, boolean nullable) {
        final Type.Repetition repetition = nullable ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
        if (type instanceof ArrayType array) {
            return Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
                .addField(Types.repeatedGroup()
                    .addField(parquetType("element", array.elementType(), array.containsNull()))
                    .named("list"))
                .named(name);
        }
        final Types.PrimitiveBuilder<org.apache.parquet.schema.PrimitiveType> primitive;
        if (type.equals(DataTypes.BooleanType)) {
            primitive = Types.primitive(PrimitiveTypeName.BOOLEAN, repetition);
        } else if (type.equals(DataTypes.IntegerType)) {
            primitive = Types.primitive(PrimitiveTypeName.INT32, repetition);
        } else if (type.equals(DataTypes.LongType)) {
            primitive = Types.primitive(PrimitiveTypeName.INT64, repetition);
        } else if (type.equals(DataTypes.DoubleType)) {
            primitive = Types.primitive(PrimitiveTypeName.DOUBLE, repetition);
        } else if (type.equals(DataTypes.StringType)) {
            primitive = Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType());
        } else {
            throw new IllegalArgumentException("column " + name + " has type " + type.simpleString()
                + "; allowed are boolean, int, bigint, double, string and arrays of them");
        }
        return primitive.named(name);
    }

    /** Where and how a batch's files of one table are written; built on the driver, sent with the tasks. */
    static final class Target implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String dir;
        private final Broadcast<SerializableConfiguration> hadoopConf;
        private final String codec;

        /**
         * @param dir        the batch's staging directory of the table
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

    private final Table<T> table;
    private final Path dir;
    private final Configuration conf;
    private final CompressionCodecName codec;
    private final String partFile;
    private final String attempt;
    private final Set<String> written = new HashSet<>();
    private ParquetWriter<T> writer;
    private String cellId;
    private Path temporary;
    private Path target;

    /**
     * @param partition the task's partition index: it names the files, the same for every attempt
     * @param attemptId the task attempt's id, unique in the application: it names the temporaries
     */
    CellFiles(Table<T> table, Target target, int partition, long attemptId) {
        this.table = table;
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

    /** Appends one row to its cell's file; a task's rows come grouped by cell. */
    void write(Cell cell, T row) {
        try {
            if (!cell.cellId().equals(cellId)) {
                finish();
                open(cell);
            }
            writer.write(row);
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
        writer = new Builder<>(HadoopOutputFile.fromPath(temporary, conf), table)
            .withConf(conf)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(codec)
            .withWriterVersion(WriterVersion.PARQUET_1_0)
            .withDictionaryEncoding(true)
            .build();
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final Table<T> table;

        Builder(OutputFile file, Table<T> table) {
            super(file);
            this.table = table;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new TableWriteSupport<>(table);
        }
    }

    private static final class TableWriteSupport<T> extends WriteSupport<T> {
        private final Table<T> table;
        private Columns columns;

        TableWriteSupport(Table<T> table) {
            this.table = table;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(table.parquetSchema, table.sparkMetadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.columns = new Columns(recordConsumer, table.fileSchema);
        }

        @Override
        public void write(T row) {
            columns.startRow();
            table.writer.write(columns, row);
            columns.endRow();
        }
    }

    /**
     * A row's columns in schema order: Parquet's record consumer wants each field's name and
     * index, which the table's schema fixes, so the writer only gives the values. Lists are
     * written as Spark's writer writes them: a group holding, if not empty, a repeated group
     * {@code list} whose {@code element} is left out for a null element.
     */
    static final class Columns {
        private final RecordConsumer out;
        private final String[] names;
        private int index;

        Columns(RecordConsumer out, StructType schema) {
            this.out = out;
            this.names = schema.fieldNames();
        }

        void startRow() {
            index = 0;
            out.startMessage();
        }

        /** Every column was written or skipped, no more: the writer and the schema agree. */
        void endRow() {
            if (index != names.length) {
                throw new IllegalStateException("wrote " + index + " of the " + names.length + " columns "
                    + String.join(", ", names));
            }
            out.endMessage();
        }

        private void start() {
            out.startField(names[index], index);
        }

        private void next() {
            out.endField(names[index], index);
            index++;
        }

        void add(double v) {
            start();
            out.addDouble(v);
            next();
        }

        void add(int v) {
            start();
            out.addInteger(v);
            next();
        }

        void add(long v) {
            start();
            out.addLong(v);
            next();
        }

        void add(boolean v) {
            start();
            out.addBoolean(v);
            next();
        }

        void add(String v) {
            start();
            out.addBinary(Binary.fromString(v));
            next();
        }

        /** A null: an optional field left out. */
        void skip() {
            index++;
        }

        void startList(int size) {
            start();
            out.startGroup();
            if (size > 0) {
                out.startField("list", 0);
            }
        }

        void element(double v) {
            startElement();
            out.addDouble(v);
            endElement();
        }

        void element(int v) {
            startElement();
            out.addInteger(v);
            endElement();
        }

        private void startElement() {
            out.startGroup();
            out.startField("element", 0);
        }

        private void endElement() {
            out.endField("element", 0);
            out.endGroup();
        }

        void nullElement() {
            out.startGroup();
            out.endGroup();
        }

        void endList(int size) {
            if (size > 0) {
                out.endField("list", 0);
            }
            out.endGroup();
            next();
        }
    }
}

package org.stdpsweep.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.stdpsweep.analysis.SweepTables;
import org.stdpsweep.kernel.MeanField;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

import scala.collection.immutable.ArraySeq;
import scala.collection.immutable.Seq;

/** The {@code cells} table: one row per cell, with its mean-field reference curve. */
final class CellsTable {
    private CellsTable() {
    }

    static final StructType SCHEMA = SweepTables.CELLS;

    /** @return the cells of {@code spec}, mean-field curves computed on the executors */
    static Dataset<Row> of(SparkSession spark, SweepSpec spec) {
        final List<Cell> cells = spec.cells();
        final long replicates = spec.replicates();
        final List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            indices.add(i);
        }
        final int slices = Math.max(1, Math.min(cells.size(), 3 * spark.sparkContext().defaultParallelism()));
        return spark.createDataset(indices, Encoders.INT()).repartition(slices)
            .map((MapFunction<Integer, Row>) i -> row(cells.get(i), replicates), Encoders.row(SCHEMA));
    }

    private static Row row(Cell cell, long replicates) {
        final RunParameters p = cell.params();
        final MeanField.Curve mf = MeanField.of(p);
        return RowFactory.create(cell.cellId(), cell.d(), cell.alpha(), cell.delta(), cell.gamma(), cell.rho(),
            cell.blockSize(), cell.noise(), cell.q(), p.iterations(), p.tolerance(), replicates,
            p.theoremRate(), p.p0()[0],
            seq(mf.checkpoints()), seq(mf.dist()), seq(mf.margin()));
    }

    // A Row's array values must be Scala sequences for Spark's row encoder.

    static Seq<Object> seq(double[] xs) {
        return ArraySeq.unsafeWrapArray(Arrays.stream(xs).boxed().toArray());
    }

    static Seq<Object> seq(int[] xs) {
        return ArraySeq.unsafeWrapArray(Arrays.stream(xs).boxed().toArray());
    }
}

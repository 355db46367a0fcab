package org.stdpsweep.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.stdpsweep.kernel.CoFiring;
import org.stdpsweep.kernel.MeanField;
import org.stdpsweep.kernel.Noise;
import org.stdpsweep.kernel.RunParameters;
import org.stdpsweep.kernel.RunResult;
import org.stdpsweep.kernel.StdpKernel;

/**
 * Synthetic sweep output, held in plain Java (for the independent recomputation) and written
 * as the driver writes it (docs/output-schema.md): hive-partitioned by d and cell_id.
 */
final class Fixture {

    static final class Cell {
        String id;
        int d;
        double alpha;
        double delta;
        String gamma = "independent";
        double rho;
        int blockSize;
        String noise = "none";
        double q;
        int iterations;
        long replicates;
        double tolerance = 1e-6;
        double p10;
        int[] ks;
        double[] mfDist;
        double[] mfMargin;
        final List<Run> runs = new ArrayList<>();

        double rateTheory() {
            return alpha * delta * delta / (16.0 * d);
        }

        /** 2 (1 - p_1(0)) exp(-rate k) */
        double envelope(int k) {
            return 2 * (1 - p10) * Math.exp(-rateTheory() * k);
        }
    }

    static final class Run {
        long replicate;
        boolean converged;
        Integer thetaExit;
        Integer hit;
        double[] dist;
        double[] margin;
    }

    final List<Cell> cells = new ArrayList<>();

    /** A canonical cell of d inputs (p_1(0) = (1 + (d-1) Delta) / d) with explicit checkpoints. */
    Cell synthetic(String id, int d, double alpha, double delta, int iterations, int... ks) {
        final Cell c = new Cell();
        c.id = id;
        c.d = d;
        c.alpha = alpha;
        c.delta = delta;
        c.iterations = iterations;
        c.p10 = (1 + (d - 1) * delta) / d;
        c.ks = ks;
        c.mfDist = new double[ks.length];
        c.mfMargin = new double[ks.length];
        for (int j = 0; j < ks.length; j++) {
            c.mfDist[j] = 0.5 * c.envelope(ks[j]);
            c.mfMargin[j] = 1 - c.mfDist[j];
        }
        cells.add(c);
        return c;
    }

    /**
     * Adds a run whose dist at checkpoint j is {@code factor[j] * envelope(k_j)}; dist(0) is set
     * to exactly 2 (1 - p_1(0)) when factor[0] is 1.
     */
    static Run run(Cell c, boolean converged, Integer thetaExit, Integer hit, double... factor) {
        final Run r = new Run();
        r.replicate = c.runs.size();
        r.converged = converged;
        r.thetaExit = thetaExit;
        r.hit = hit;
        r.dist = new double[c.ks.length];
        r.margin = new double[c.ks.length];
        for (int j = 0; j < c.ks.length; j++) {
            r.dist[j] = factor[j] * c.envelope(c.ks[j]);
            r.margin[j] = 1 - r.dist[j];
        }
        c.runs.add(r);
        c.replicates = c.runs.size();
        return r;
    }

    /** Runs the kernel for {@code replicates} runs of {@code params}. */
    Cell kernel(RunParameters params, long masterSeed, int replicates) {
        final Cell c = new Cell();
        c.id = params.cellId();
        c.d = params.d();
        c.alpha = params.alpha();
        c.delta = params.delta();
        c.gamma = params.gamma().structure().label();
        c.rho = params.gamma().rho();
        c.blockSize = params.gamma().blockSize();
        c.noise = params.noise().model().label();
        c.q = params.noise().q();
        c.iterations = params.iterations();
        c.replicates = replicates;
        c.tolerance = params.tolerance();
        c.p10 = params.p0()[0];
        final MeanField.Curve mf = MeanField.of(params);
        c.ks = mf.checkpoints();
        c.mfDist = mf.dist();
        c.mfMargin = mf.margin();
        final StdpKernel kernel = new StdpKernel();
        for (int rep = 0; rep < replicates; rep++) {
            final RunResult res = kernel.run(params, masterSeed, rep);
            final Run r = new Run();
            r.replicate = rep;
            r.converged = res.converged();
            r.thetaExit = res.thetaHeld() ? null : res.thetaExit();
            r.hit = res.hitTimes()[0] == RunResult.NEVER ? null : res.hitTimes()[0];
            r.dist = res.checkpointDist();
            r.margin = res.checkpointMargin();
            c.runs.add(r);
        }
        cells.add(c);
        return c;
    }

    static RunParameters.Builder params(int d, double alpha, double delta, CoFiring gamma, Noise noise, int k) {
        return RunParameters.builder().d(d).alpha(alpha).delta(delta).gamma(gamma).noise(noise)
            .iterations(k).checkpoints(12).hitThresholds(1e-3);
    }

    static final StructType RUNS = SweepTables.RUNS;
    static final StructType CHECKPOINTS = SweepTables.CHECKPOINTS;
    static final StructType CELLS = SweepTables.CELLS;

    void write(SparkSession spark, String dir) {
        final List<Row> runs = new ArrayList<>();
        final List<Row> checkpoints = new ArrayList<>();
        final List<Row> cellRows = new ArrayList<>();
        for (Cell c : cells) {
            for (Run r : c.runs) {
                final int last = c.ks.length - 1;
                runs.add(RowFactory.create(c.id, c.d, c.alpha, c.delta, c.gamma, c.rho, c.blockSize, c.noise, c.q,
                    c.iterations, r.replicate, String.format("%064x", r.replicate), r.converged,
                    0, r.dist[last], r.margin[last], r.thetaExit,
                    Arrays.asList(1e-3), Arrays.asList(r.hit), r.hit, "HORIZON", c.iterations));
                for (int j = 0; j < c.ks.length; j++) {
                    checkpoints.add(RowFactory.create(c.id, c.d, r.replicate, c.ks[j], r.dist[j], r.margin[j]));
                }
            }
            cellRows.add(RowFactory.create(c.id, c.d, c.alpha, c.delta, c.gamma, c.rho, c.blockSize, c.noise, c.q,
                c.iterations, c.tolerance, c.replicates, c.rateTheory(), c.p10,
                Arrays.asList(Arrays.stream(c.ks).boxed().toArray(Integer[]::new)),
                Arrays.asList(Arrays.stream(c.mfDist).boxed().toArray(Double[]::new)),
                Arrays.asList(Arrays.stream(c.mfMargin).boxed().toArray(Double[]::new))));
        }
        spark.createDataFrame(runs, RUNS).write().partitionBy("d", "cell_id").parquet(dir + "/runs");
        spark.createDataFrame(checkpoints, CHECKPOINTS).write().partitionBy("d", "cell_id")
            .parquet(dir + "/checkpoints");
        spark.createDataFrame(cellRows, CELLS).write().partitionBy("d", "cell_id").parquet(dir + "/cells");
    }
}

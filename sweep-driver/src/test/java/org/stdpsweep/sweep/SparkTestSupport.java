package org.stdpsweep.sweep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.stdpsweep.sweep.config.SweepSpec;

/** Shared pieces of the driver's Spark tests. */
final class SparkTestSupport {
    private SparkTestSupport() {
    }

    /** A small grid: 2 alpha x 1 delta x 2 d x 2 gamma x 2 noise = 16 cells, fast to run. */
    static final String SMALL = String.join("\n",
        "sweep {",
        "  name = small",
        "  seed = 42",
        "  iterations = 300",
        "  replicates = 12",
        "  checkpoints = 12",
        "  hit-thresholds = [1e-1, 1e-3]",
        "  grid {",
        "    alpha = [0.05, 0.1]",
        "    delta = [0.2]",
        "    d = [2, 5]",
        "    gamma = [\"independent\", \"equicorrelated:0.3\"]",
        "    noise = [\"uniform:0.5\", \"none\"]",
        "  }",
        "}");

    static SweepSpec spec(String... overrides) {
        return SweepSpec.parse(SMALL, List.of(overrides));
    }

    static SparkSession local(int cores) {
        return SparkSession.builder().master("local[" + cores + "]").appName("stdp-sweep-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    }

    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    static long run(SparkSession spark, SweepSpec spec, Path dir) throws IOException {
        return SweepRunner.prepare(spec, dir.toString(), false, QUIET).run(spark);
    }

    static Dataset<Row> runs(SparkSession spark, Path dir) {
        return spark.read().parquet(dir.resolve("runs").toString());
    }

    static Dataset<Row> checkpoints(SparkSession spark, Path dir) {
        return spark.read().parquet(dir.resolve("checkpoints").toString());
    }

    /** @return whether the two tables hold the same rows, as multisets */
    static boolean sameRows(Dataset<Row> a, Dataset<Row> b) {
        final Dataset<Row> bb = b.select(a.columns()[0], java.util.Arrays.copyOfRange(a.columns(), 1, a.columns().length));
        return a.exceptAll(bb).isEmpty() && bb.exceptAll(a).isEmpty();
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same sweep on local[1] and local[2] writes the same rows. */
class PartitioningDeterminismTest {
    @TempDir
    Path tmp;

    @Test
    void oneCoreAndTwoCoresWriteIdenticalRows() throws IOException {
        final Path one = tmp.resolve("local1");
        final Path two = tmp.resolve("local2");
        SparkSession spark = SparkTestSupport.local(1);
        try {
            SparkTestSupport.run(spark, SparkTestSupport.spec(), one);
        } finally {
            spark.stop();
        }
        spark = SparkTestSupport.local(2);
        try {
            SparkTestSupport.run(spark, SparkTestSupport.spec(), two);
            assertTrue(SparkTestSupport.sameRows(SparkTestSupport.runs(spark, one), SparkTestSupport.runs(spark, two)));
            assertTrue(SparkTestSupport.sameRows(SparkTestSupport.checkpoints(spark, one),
                SparkTestSupport.checkpoints(spark, two)));
            assertTrue(SparkTestSupport.sameRows(spark.read().parquet(one.resolve("cells").toString()),
                spark.read().parquet(two.resolve("cells").toString())));
        } finally {
            spark.stop();
        }
    }
}

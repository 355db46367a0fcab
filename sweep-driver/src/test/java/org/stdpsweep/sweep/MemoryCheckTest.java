package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stdpsweep.sweep.config.SweepSpec;

/** The pre-flight memory estimate: what fits, what does not, and what the refusal says. */
class MemoryCheckTest {
    private static final long GB = 1L << 30;

    @TempDir
    Path tmp;

    private static SweepSpec withD(int d) {
        return SparkTestSupport.spec("grid.d=[2, " + d + "]", "grid.gamma=[\"independent\"]", "grid.noise=[\"none\"]",
            "grid.alpha=[0.05]");
    }

    private static SparkConf executor(String memory, Integer cores) {
        final SparkConf conf = new SparkConf(false).set("spark.executor.memory", memory);
        return cores == null ? conf : conf.set("spark.executor.cores", cores.toString());
    }

    @Test
    void theEstimateIsDominatedByGammaForLargeD() {
        final long small = MemoryCheck.taskBytes(withD(5));
        final long large = MemoryCheck.taskBytes(withD(5000));
        assertTrue(small < MemoryCheck.TASK_BUFFERS + MemoryCheck.MB,
            "a small sweep's task is its Parquet writers' buffers and under 1 MB more: " + small);
        assertEquals(2 * 8L * 5000 * 5000, large - small, 5000 * 64 + 1); // twice Gamma, plus O(d) buffers
    }

    @Test
    void aSmallSweepFitsA512mExecutor() {
        assertNull(MemoryCheck.problem(withD(5), executor("512m", 1), "spark://h:7077", GB, 2));
        assertNull(MemoryCheck.problem(withD(1000), executor("512m", null), "yarn", GB, 2));
    }

    @Test
    void dOf5000DoesNotFit512mAndTheMessageSaysWhatToSet() {
        final String p = MemoryCheck.problem(withD(5000), executor("512m", 1), "spark://h:7077", 16 * GB, 2);
        assertNotNull(p);
        assertTrue(p.startsWith("spark.executor.memory = 512m is too small: a task of this sweep needs about "), p);
        assertTrue(p.contains("d = 5000"), p);
        assertTrue(p.contains("allowed is at least "), p);
        assertTrue(p.contains("--executor-memory "), p);
        // What the message allows does fit.
        final String allowed = p.replaceAll("(?s).*--executor-memory (\\d+m).*", "$1");
        assertNull(MemoryCheck.problem(withD(5000), executor(allowed, 1), "spark://h:7077", 16 * GB, 2), allowed);
    }

    @Test
    void anExecutorMemoryWithoutAUnitIsMiBAsSparkReadsIt() {
        // d = 5000 needs about 750 MB; Spark gives "2048" 2 GiB, not 2 KiB.
        assertNull(MemoryCheck.problem(withD(5000), executor("2048", 1), "spark://h:7077", GB, 2));
        assertNotNull(MemoryCheck.problem(withD(5000), executor("512", 1), "spark://h:7077", GB, 2));
    }

    @Test
    void moreCoresPerExecutorNeedMoreMemory() {
        assertNull(MemoryCheck.problem(withD(5000), executor("1g", 1), "spark://h:7077", GB, 2));
        final String p = MemoryCheck.problem(withD(5000), executor("1g", 4), "spark://h:7077", GB, 2);
        assertNotNull(p);
        assertTrue(p.contains("4 task(s) at once"), p);
        final SparkConf twoCpusPerTask = executor("1g", 4).set("spark.task.cpus", "2");
        assertTrue(MemoryCheck.problem(withD(5000), twoCpusPerTask, "spark://h:7077", GB, 2).contains("2 task(s)"));
    }

    @Test
    void localModeChecksTheDriversHeapForEveryLocalCore() {
        final SparkConf none = new SparkConf(false);
        assertNull(MemoryCheck.problem(withD(5000), none, "local[2]", 4 * GB, 64));
        final String p = MemoryCheck.problem(withD(5000), none, "local[*]", 4 * GB, 64);
        assertNotNull(p);
        assertTrue(p.startsWith("the driver's heap (4096 MB) is too small"), p);
        assertTrue(p.contains("local[*] runs 64 task(s)"), p);
        assertNull(MemoryCheck.problem(withD(5), none, "local[*]", 4 * GB, 96), "small sweeps fit big machines");
        assertNotNull(MemoryCheck.problem(withD(5000), none, "local", 512 * MemoryCheck.MB, 2));
    }

    @Test
    void runRefusesBeforeWritingAnything() throws Exception {
        final Path conf = tmp.resolve("big.conf");
        Files.writeString(conf, SparkTestSupport.SMALL);
        final Path out = tmp.resolve("never");
        final int code = SweepCli.execute("run", conf.toString(), "--out", out.toString(), "--master", "local[64]",
            "--set", "grid.d=[3000]");
        assertEquals(SweepCli.BAD_INPUT, code);
        assertFalse(Files.exists(out));
    }
}

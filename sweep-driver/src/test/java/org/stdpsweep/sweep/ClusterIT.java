package org.stdpsweep.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.stdpsweep.sweep.StandaloneCluster.Submission;
import org.stdpsweep.sweep.config.SweepSpec;

/**
 * The application jar on a real Spark standalone cluster (master and two one-core workers on
 * 127.0.0.1, each executor its own JVM), submitted through SparkSubmit as spark-submit does: its
 * output equals local[1]'s; it survives the loss of an executor and of the driver with output
 * identical to a fault-free run; and bad input fails before any executor starts, writing nothing.
 * Every submission passes {@code --no-analysis}: the analysis jobs read these tables the same way
 * wherever they were written and have their own tests, and skipping them keeps this class within
 * a few minutes on two cores. See docs/cluster.md. Needs the build's {@code target/spark-home/jars}
 * and the shaded jar, so it runs under failsafe ({@code mvn verify}), not surefire.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);

    /** 8 cells x 20 replicates, K 500: the equality check. */
    private static final String TINY = String.join("\n",
        "sweep {",
        "  name = cluster-tiny",
        "  seed = 11",
        "  iterations = 500",
        "  replicates = 20",
        "  checkpoints = 12",
        "  hit-thresholds = [1e-1, 1e-3]",
        "  grid {",
        "    alpha = [0.05, 0.1]",
        "    delta = [0.2]",
        "    d = [2, 5]",
        "    gamma = [\"independent\", \"equicorrelated:0.3\"]",
        "    noise = [\"uniform:0.5\"]",
        "  }",
        "}");

    /** 4 cells x 1000 replicates, K 5000, d 20: 4e8 coordinate-updates in 4 batches, for the fault tests. */
    private static final String FAULT = String.join("\n",
        "sweep {",
        "  name = cluster-fault",
        "  seed = 7",
        "  iterations = 5000",
        "  replicates = 1000",
        "  checkpoints = 20",
        "  hit-thresholds = [1e-1, 1e-3]",
        "  grid {",
        "    alpha = [0.02, 0.05]",
        "    delta = [0.1, 0.2]",
        "    d = [20]",
        "    gamma = [\"independent\"]",
        "    noise = [\"uniform:1.0\"]",
        "  }",
        "}");

    private static final long FAULT_RUNS = 4 * 1000;

    private static Path work;
    private static Path appJar;
    private static StandaloneCluster cluster;
    private static SparkSession local;
    private static int localCores;
    private static Path tinyOnCluster;
    private static Path tinyLocal1;
    private static Path faultReference;

    @BeforeAll
    static void startCluster() throws Exception {
        final Path sparkHome = Path.of(required("stdp.sparkHome"));
        appJar = Path.of(required("stdp.appJar"));
        assertTrue(Files.isRegularFile(appJar), "the application jar is built in package: " + appJar);
        assertTrue(Files.isDirectory(sparkHome.resolve("jars")), "copy-dependencies fills " + sparkHome + "/jars");
        work = Path.of(required("stdp.workDir")).resolve("run-" + System.currentTimeMillis());
        Files.createDirectories(work);
        Files.writeString(work.resolve("tiny.conf"), TINY);
        Files.writeString(work.resolve("fault.conf"), FAULT);
        final long t0 = System.nanoTime();
        cluster = StandaloneCluster.start(sparkHome, Arrays.asList(required("stdp.jvmOpens").trim().split("\\s+")),
            work, 2, Duration.ofMinutes(2));
        log("cluster up (master %s, 2 workers) in %.1f s", cluster.masterUrl(), seconds(t0));
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (local != null) {
                local.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(1)
    void aSweepOnTheClusterEqualsTheSameSweepOnLocal1() throws Exception {
        final Path dir = work.resolve("tiny-cluster");
        final long t0 = System.nanoTime();
        final Submission s = submit("tiny", work.resolve("tiny.conf"), dir, "--no-analysis");
        final Path reference = tinyLocal1(); // meanwhile: the cluster run waits on JVM starts more than on CPU
        assertEquals(0, s.await(RUN_TIMEOUT), s.tail());
        log("tiny sweep on the cluster (submit to exit) in %.1f s", seconds(t0));
        assertTrue(s.out().contains("8 cells x 20 replicates = 160 runs; 0 already done, 160 to run"), s.out());
        assertTrue(s.out().contains("master spark://127.0.0.1:"), s.out());
        tinyOnCluster = dir;
        assertSameOutput(dir, reference, 8 * 20);
        for (String table : new String[] {"cells", "manifest.json"}) {
            assertTrue(Files.exists(dir.resolve(table)), table + " written on the cluster too");
        }
    }

    @Test
    @Order(2)
    void badInputFailsBeforeAnyExecutorStartsAndWritesNothing() throws Exception {
        final Path existing = tinyOnCluster != null ? tinyOnCluster : tinyLocal1();
        final List<String> before = StandaloneCluster.snapshot(existing);
        final int apps = cluster.applications();
        final Path aFile = work.resolve("a-file");
        Files.writeString(aFile, "not a directory\n");
        final Path bigConf = work.resolve("big-d.conf");
        Files.writeString(bigConf, TINY.replace("d = [2, 5]", "d = [3000]").replace("alpha = [0.05, 0.1]",
            "alpha = [0.05]").replace("[\"independent\", \"equicorrelated:0.3\"]", "[\"independent\"]"));
        final Path tiny = work.resolve("tiny.conf");
        final Path readOnly = work.resolve("read-only");
        Files.createDirectories(readOnly);
        assertTrue(readOnly.toFile().setWritable(false, false));

        // Submitted all at once (each is a JVM start, then an exit): name, CONF, DIR, expected message.
        final List<String[]> cases = new ArrayList<>(List.of(
            new String[] {"missing-conf", work.resolve("nope.conf").toString(), existing.toString(), "does not exist"},
            new String[] {"conf-is-a-directory", work.toString(), existing.toString(), "not a readable regular file"},
            new String[] {"out-is-a-file", tiny.toString(), aFile.toString(), "is not empty and holds no stdp-sweep output"},
            new String[] {"out-under-a-file", tiny.toString(), aFile.resolve("sub").toString(), "cannot be used"},
            new String[] {"too-little-memory", bigConf.toString(), existing.toString(),
                "spark.executor.memory = 512m is too small: a task of this sweep needs about "}));
        if (!Files.isWritable(readOnly)) { // root writes anyway: then this case proves nothing and is left out
            cases.add(new String[] {"out-under-read-only", tiny.toString(), readOnly.resolve("out").toString(),
                "cannot be used"});
        }
        final long t0 = System.nanoTime();
        final List<Submission> submissions = new ArrayList<>();
        for (String[] c : cases) {
            submissions.add(submit(c[0], Path.of(c[1]), Path.of(c[2])));
        }
        for (int i = 0; i < cases.size(); i++) {
            final Submission s = submissions.get(i);
            final String name = cases.get(i)[0];
            assertEquals(SweepCli.BAD_INPUT, s.await(Duration.ofMinutes(2)), name + ": " + s.tail());
            assertTrue(s.err().contains("error: ") && s.err().contains(cases.get(i)[3]), name + ": " + s.tail());
            assertFalse(s.err().contains("Running Spark version"), name + ": no SparkContext may start: " + s.tail());
        }
        log("%d bad inputs refused (exit 2) in %.1f s", cases.size(), seconds(t0));
        final String memory = submissions.get(4).err();
        assertTrue(memory.contains("d = 3000") && memory.contains("allowed is at least"), memory);

        assertEquals("not a directory\n", Files.readString(aFile));
        assertEquals(before, StandaloneCluster.snapshot(existing), "existing output untouched");
        assertEquals(apps, cluster.applications(), "no application registered, so no executor was started");
    }

    @Test
    @Order(3)
    void losingAnExecutorMidSweepChangesNothingInTheOutput() throws Exception {
        final Path dir = work.resolve("fault-executor-loss");
        final long t0 = System.nanoTime();
        final Submission s = submit("executor-loss", work.resolve("fault.conf"), dir, "--no-analysis");
        s.awaitLine("batch 1/", RUN_TIMEOUT);
        final ProcessHandle victim = busyExecutor(Duration.ofSeconds(30));
        assertOnlyLoopbackListeners();
        log("killing executor pid %d (SIGKILL) after %.1f s: %s", victim.pid(), seconds(t0),
            s.out().lines().filter(l -> l.contains("batch 1/")).findFirst().orElse(""));
        victim.destroyForcibly();
        victim.onExit().get();
        assertEquals(0, s.await(RUN_TIMEOUT), s.tail());
        log("sweep with a lost executor finished in %.1f s", seconds(t0));
        assertTrue(executorLaunches() >= 3, "the worker launched a replacement executor (launches: "
            + executorLaunches() + ")");
        // Spark logs the loss at ERROR; the retries of its running tasks only at INFO (not shown at WARN).
        assertTrue(s.err().contains("Lost executor"), "Spark saw the executor die: " + s.tail());
        assertSameOutput(dir, faultReference(), FAULT_RUNS);
    }

    /**
     * @return an executor that is computing (it used at least 40% of a core over the last 300 ms),
     *     so that killing it loses running tasks; waits for batch 2's tasks to start
     */
    private static ProcessHandle busyExecutor(Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            final List<ProcessHandle> executors = cluster.executors();
            final long[] before = executors.stream().mapToLong(ClusterIT::cpuMillis).toArray();
            Thread.sleep(300);
            for (int i = 0; i < executors.size(); i++) {
                if (cpuMillis(executors.get(i)) - before[i] >= 120) {
                    return executors.get(i);
                }
            }
        }
        throw new AssertionError("no executor was computing within " + timeout);
    }

    /**
     * Nothing the test started listens beyond loopback: checked mid-sweep, when the master, the
     * workers, the executors and the driver are all up, from the kernel's socket tables.
     */
    private static void assertOnlyLoopbackListeners() throws Exception {
        final List<String> sockets = cluster.listeningSockets();
        final Set<Long> pids = new HashSet<>();
        for (String s : sockets) {
            pids.add(Long.parseLong(s.substring(s.indexOf("pid=") + 4)));
            final String address = s.substring(0, s.lastIndexOf(':'));
            assertTrue(InetAddress.getByName(address).isLoopbackAddress(), "listening beyond loopback: " + s
                + "\nall listeners: " + sockets);
        }
        // master, 2 workers, 2 executors and the driver each listen on something (RPC at least)
        assertTrue(pids.size() >= 6, "listeners of at least 6 processes expected: " + sockets);
        log("%d listening sockets of %d processes, all on loopback", sockets.size(), pids.size());
    }

    private static long cpuMillis(ProcessHandle h) {
        return h.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    @Test
    @Order(4)
    void aKilledDriverResumesAndComputesOnlyWhatIsMissing() throws Exception {
        final Path dir = work.resolve("fault-driver-loss");
        final long t0 = System.nanoTime();
        final Submission first = submit("driver-loss-1", work.resolve("fault.conf"), dir, "--no-analysis");
        first.awaitLine("batch 1/", RUN_TIMEOUT);
        first.process.destroyForcibly(); // SIGKILL: no shutdown hook, as when a driver's machine dies
        first.process.onExit().get();
        log("killed the driver after %.1f s: %s", seconds(t0),
            first.out().lines().filter(l -> l.contains("batch 1/")).findFirst().orElse(""));

        final Submission second = submit("driver-loss-2", work.resolve("fault.conf"), dir, "--no-analysis");
        assertEquals(0, second.await(RUN_TIMEOUT), second.tail());
        log("resumed sweep finished in %.1f s (both drivers)", seconds(t0));
        final Matcher m = Pattern.compile("(\\d+) already done, (\\d+) to run").matcher(second.out());
        assertTrue(m.find(), second.out());
        final long done = Long.parseLong(m.group(1));
        final long toRun = Long.parseLong(m.group(2));
        final long total = FAULT_RUNS;
        assertEquals(total, done + toRun, m.group());
        assertTrue(done > 0 && toRun < total, "only unfinished work is recomputed: " + m.group());
        assertSameOutput(dir, faultReference(), total);
    }

    // -------------------------------------------------------------------------------------------

    /** The tiny sweep on local[1] in this JVM, computed once. */
    private static synchronized Path tinyLocal1() throws Exception {
        if (tinyLocal1 == null) {
            final Path dir = work.resolve("tiny-local1");
            final long t0 = System.nanoTime();
            SweepRunner.prepare(SweepSpec.load(work.resolve("tiny.conf"), List.of()), dir.toString(), false,
                SparkTestSupport.QUIET).run(local(1));
            log("tiny sweep on local[1] in %.1f s", seconds(t0));
            tinyLocal1 = dir;
        }
        return tinyLocal1;
    }

    /** The fault sweep without faults, on local Spark in this JVM, computed once. */
    private static synchronized Path faultReference() throws Exception {
        if (faultReference == null) {
            final Path dir = work.resolve("fault-reference");
            final long t0 = System.nanoTime();
            SweepRunner.prepare(SweepSpec.load(work.resolve("fault.conf"), List.of()), dir.toString(), false,
                SparkTestSupport.QUIET).run(local(2));
            log("fault sweep without faults on local[2] in %.1f s", seconds(t0));
            faultReference = dir;
        }
        return faultReference;
    }

    private static Submission submit(String name, Path conf, Path out, String... more) throws IOException {
        final List<String> args = new ArrayList<>(List.of("run", conf.toString(), "--out", out.toString()));
        args.addAll(Arrays.asList(more));
        return cluster.submit(name, appJar, List.of("--conf", "spark.sql.shuffle.partitions=4"),
            args.toArray(new String[0]));
    }

    /** @return how many executor JVMs the workers have launched (one work directory each) */
    private static long executorLaunches() throws IOException {
        long n = 0;
        for (int i = 0; i < 2; i++) {
            try (Stream<Path> apps = Files.list(work.resolve("worker-" + i))) {
                for (Path app : apps.toList()) {
                    try (Stream<Path> execs = Files.list(app)) {
                        n += execs.filter(Files::isDirectory).count();
                    }
                }
            }
        }
        return n;
    }

    private static void assertSameOutput(Path dir, Path reference, long runs) {
        final SparkSession spark = local != null ? local : local(1);
        final Dataset<Row> got = SparkTestSupport.runs(spark, dir);
        assertEquals(runs, got.count(), "one row per run");
        assertEquals(runs, got.select("cell_id", "replicate").distinct().count(), "no run twice");
        assertTrue(SparkTestSupport.sameRows(got, SparkTestSupport.runs(spark, reference)), "runs equal");
        final Dataset<Row> ck = SparkTestSupport.checkpoints(spark, dir);
        final Dataset<Row> ckRef = SparkTestSupport.checkpoints(spark, reference);
        assertEquals(ckRef.count(), ck.count());
        assertTrue(SparkTestSupport.sameRows(ck, ckRef), "checkpoints equal");
    }

    /** This JVM's local Spark, for references and for reading output; restarted to change cores. */
    private static SparkSession local(int cores) {
        if (local != null && localCores != cores) {
            local.stop();
            local = null;
        }
        if (local == null) {
            local = SparkTestSupport.local(cores);
            localCores = cores;
        }
        return local;
    }

    private static String required(String property) {
        final String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run ClusterIT through "
                + "failsafe (mvn verify), which sets it");
        }
        return v;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("ClusterIT: " + format + "%n", args);
    }
}

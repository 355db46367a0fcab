package org.stdpsweep.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on loopback for {@link ClusterIT}: one master and N one-core workers,
 * each its own JVM started from {@code $SPARK_HOME/jars} (Maven Central's Spark jars, copied there
 * by the build), with ports picked free at run time and every daemon bound to 127.0.0.1. Drivers
 * are submitted through {@code org.apache.spark.deploy.SparkSubmit}, which is what
 * {@code spark-submit} runs. {@link #close()} stops every process this class started (and their
 * descendants, the executors), by pid, and nothing else.
 */
final class StandaloneCluster implements AutoCloseable {
    static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private final Path sparkHome;
    private final List<String> opens;
    private final Path logs;
    private final List<Process> daemons = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final List<Submission> submissions = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-standalone-cluster");
    private int masterPort;
    private int masterUiPort;

    private StandaloneCluster(Path sparkHome, List<String> opens, Path logs) {
        this.sparkHome = sparkHome;
        this.opens = opens;
        this.logs = logs;
    }

    /**
     * Starts the master and {@code workers} workers (1 core, 1 GB each) and waits until the master
     * reports them alive. On failure, stops what it started and throws.
     */
    static StandaloneCluster start(Path sparkHome, List<String> opens, Path logs, int workers, Duration timeout)
        throws IOException, InterruptedException {
        Files.createDirectories(sparkHome.resolve("jars"));
        if (!Files.exists(sparkHome.resolve("RELEASE"))) {
            Files.createFile(sparkHome.resolve("RELEASE")); // the launcher then takes jars/ for the classpath
        }
        Files.createDirectories(logs);
        final StandaloneCluster c = new StandaloneCluster(sparkHome, opens, logs);
        Runtime.getRuntime().addShutdownHook(c.hook); // also when the test JVM is stopped before @AfterAll
        try {
            c.masterPort = freePort();
            c.masterUiPort = freePort();
            c.daemons.add(c.java("master", List.of("-Xmx512m"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(c.masterPort),
                "--webui-port", Integer.toString(c.masterUiPort)).start());
            for (int i = 0; i < workers; i++) {
                final Path workDir = logs.resolve("worker-" + i);
                Files.createDirectories(workDir);
                final Process w = c.java("worker-" + i, List.of("-Xmx512m"), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                    "--port", Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()),
                    "--work-dir", workDir.toString(), c.masterUrl()).start();
                c.daemons.add(w);
                c.workers.add(w);
            }
            c.awaitAliveWorkers(workers, timeout);
            return c;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** @return the master's state as its web UI reports it ({@code /json}) */
    String masterState() throws IOException {
        try (InputStream in = URI.create("http://127.0.0.1:" + masterUiPort + "/json").toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** @return a number field of the master's state, e.g. {@code aliveworkers} */
    int masterCount(String field) throws IOException {
        final Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(masterState());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** @return how many applications the master has seen (running and finished) */
    int applications() throws IOException {
        final String s = masterState();
        return count(s, "activeapps") + count(s, "completedapps");
    }

    private static int count(String json, String arrayField) {
        final Matcher m = Pattern.compile("\"" + arrayField + "\"\\s*:\\s*\\[(.*?)]\\s*(,\\s*\"|})", Pattern.DOTALL)
            .matcher(json);
        if (!m.find()) {
            return 0;
        }
        final Matcher ids = Pattern.compile("\"id\"\\s*:\\s*\"app-").matcher(m.group(1));
        int n = 0;
        while (ids.find()) {
            n++;
        }
        return n;
    }

    private void awaitAliveWorkers(int n, Duration timeout) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Process p : daemons) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a Spark daemon exited with " + p.exitValue() + "; logs in " + logs);
                }
            }
            try {
                if (masterCount("aliveworkers") >= n) {
                    return;
                }
            } catch (IOException notYet) {
                // the master's UI is not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the master did not report " + n + " alive workers within " + timeout
            + "; logs in " + logs);
    }

    /**
     * Submits {@code appJar} with {@code args} in client mode through SparkSubmit, in a child JVM.
     *
     * @param sparkArgs extra spark-submit options before the jar (e.g. {@code --executor-memory})
     */
    Submission submit(String name, Path appJar, List<String> sparkArgs, String... args) throws IOException {
        final String opensLine = String.join(" ", opens);
        final List<String> a = new ArrayList<>(List.of("--master", masterUrl(), "--deploy-mode", "client",
            "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.executor.extraJavaOptions=" + opensLine,
            "--conf", "spark.driver.extraJavaOptions=" + opensLine,
            "--executor-memory", "512m"));
        a.addAll(sparkArgs);
        a.add(appJar.toString());
        a.addAll(Arrays.asList(args));
        final ProcessBuilder pb = java(name, List.of("-Xmx768m"), "org.apache.spark.deploy.SparkSubmit",
            a.toArray(new String[0]));
        final Path out = logs.resolve(name + ".out");
        final Path err = logs.resolve(name + ".err");
        pb.redirectErrorStream(false).redirectOutput(out.toFile()).redirectError(err.toFile());
        final Submission s = new Submission(name, pb.start(), out, err);
        synchronized (submissions) {
            submissions.add(s);
        }
        return s;
    }

    /** @return the live executor JVMs: descendants of the workers started here, by main class */
    List<ProcessHandle> executors() {
        return workers.stream().flatMap(w -> w.toHandle().descendants())
            .filter(ProcessHandle::isAlive)
            .filter(h -> commandLine(h).contains(EXECUTOR_MAIN))
            .collect(Collectors.toList());
    }

    static String commandLine(ProcessHandle h) {
        final ProcessHandle.Info info = h.info();
        final Optional<String[]> args = info.arguments();
        return info.command().orElse("") + " " + args.map(x -> String.join(" ", x)).orElse(info.commandLine().orElse(""));
    }

    private ProcessBuilder java(String name, List<String> jvmOptions, String mainClass, String... args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(opens);
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + "/*");
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        final ProcessBuilder pb = new ProcessBuilder(cmd).directory(logs.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HADOOP_") || k.equals("_JAVA_OPTIONS")
            || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", logs.toString());
        pb.redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        return pb;
    }

    /**
     * @return every listening TCP socket (IPv4 and IPv6) of the processes started here and their
     *     descendants (master, workers, executors, drivers), as {@code address:port pid=N},
     *     found through the socket inodes in {@code /proc/PID/fd} and {@code /proc/net/tcp{,6}}
     */
    List<String> listeningSockets() throws IOException {
        final Map<String, Long> inodeToPid = new HashMap<>();
        for (ProcessHandle h : startedProcesses()) {
            final Path fds = Path.of("/proc", Long.toString(h.pid()), "fd");
            try (Stream<Path> list = Files.list(fds)) {
                for (Path fd : (Iterable<Path>) list::iterator) {
                    try {
                        final String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodeToPid.put(target.substring(8, target.length() - 1), h.pid());
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor went away while listing
                    }
                }
            } catch (IOException exited) {
                // the process ended while listing
            }
        }
        final List<String> sockets = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            final List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                final String[] f = line.trim().split("\\s+");
                final Long pid = inodeToPid.get(f[9]);
                if (pid != null && f[3].equals("0A")) { // 0A = TCP_LISTEN
                    final String[] local = f[1].split(":");
                    sockets.add(procAddress(local[0]).getHostAddress() + ":" + Integer.parseInt(local[1], 16)
                        + " pid=" + pid);
                }
            }
        }
        return sockets;
    }

    /** Every process started here and its descendants: submissions, then workers and master; children first. */
    private List<ProcessHandle> startedProcesses() {
        final List<Process> roots = new ArrayList<>();
        synchronized (submissions) {
            for (Submission s : submissions) {
                roots.add(s.process);
            }
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            roots.add(daemons.get(i));
        }
        final List<ProcessHandle> all = new ArrayList<>();
        for (Process p : roots) {
            all.addAll(p.toHandle().descendants().collect(Collectors.toList()));
            all.add(p.toHandle());
        }
        return all;
    }

    /** Decodes /proc/net's hex address: 32-bit words in host (little-endian) byte order. */
    static InetAddress procAddress(String hex) throws IOException {
        final byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int j = 0; j < 4; j++) {
                final int at = 8 * word + 2 * (3 - j);
                b[4 * word + j] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(b);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops every process started here: submissions, then workers and master, and all their descendants. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs stopAll
        }
        stopAll();
    }

    private synchronized void stopAll() {
        final List<ProcessHandle> all = startedProcesses();
        all.forEach(ProcessHandle::destroy);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception stillAlive) {
                // forced below
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("ClusterIT: process " + h.pid() + " did not exit");
            }
        }
    }

    /** One driver JVM (SparkSubmit) and its output files. */
    static final class Submission {
        final String name;
        final Process process;
        final Path out;
        final Path err;

        Submission(String name, Process process, Path out, Path err) {
            this.name = name;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** @return the exit code; destroys the driver and fails if it does not end within {@code timeout} */
        int await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not finish within " + timeout + "\n" + tail());
            }
            return process.exitValue();
        }

        /** Waits until a line of the driver's stdout contains {@code text}; fails if the driver ends first. */
        void awaitLine(String text, Duration timeout) throws InterruptedException {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (out().contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(name + " ended (" + process.exitValue() + ") before printing '" + text
                        + "'\n" + tail());
                }
                Thread.sleep(100);
            }
            throw new AssertionError(name + " did not print '" + text + "' within " + timeout + "\n" + tail());
        }

        String out() {
            return read(out);
        }

        String err() {
            return read(err);
        }

        String tail() {
            final String e = err();
            return "--- stdout of " + name + ":\n" + out() + "--- stderr (tail):\n"
                + e.substring(Math.max(0, e.length() - 6000));
        }

        private static String read(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return the files below {@code dir} with size and modification time, to show a directory untouched */
    static List<String> snapshot(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.sorted().map(p -> {
                try {
                    return dir.relativize(p) + " " + (Files.isDirectory(p) ? "dir" : Files.size(p)) + " "
                        + Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }
}

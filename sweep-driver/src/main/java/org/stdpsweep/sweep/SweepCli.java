package org.stdpsweep.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.stdpsweep.analysis.AnalysisJobs;
import org.stdpsweep.analysis.AnalysisResult;
import org.stdpsweep.sweep.config.SweepConfigException;
import org.stdpsweep.sweep.config.SweepSpec;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line: {@code sweep run|validate|analyze}. Launched by {@code bin/sweep} on an
 * embedded local Spark, or by {@code spark-submit app.jar run CONF --out DIR} on a cluster.
 * Exit codes: 0 done, 1 failed while running, 2 bad input (nothing was written).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = SweepCli.Version.class,
    description = "Monte Carlo sweeps of the reduced STDP chain on Spark (Theorem 2.2 of arXiv 2505.10272).",
    subcommands = {SweepCli.Run.class, SweepCli.Validate.class, SweepCli.Analyze.class})
public final class SweepCli {
    /** Exit code for bad input: a sweep file, option or output directory that may not be used. */
    static final int BAD_INPUT = 2;
    /** Nominal single-core kernel speed for cost estimates; docs/performance.md has measurements. */
    static final double NOMINAL_NS_PER_UPDATE = 4.0;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests, without exiting the JVM). */
    public static int execute(String... args) {
        return new CommandLine(new SweepCli()).execute(args);
    }

    /** Reads and validates the sweep, or prints why not. */
    static SweepSpec load(Path conf, List<String> overrides, PrintStream err) {
        try {
            return SweepSpec.load(conf, overrides);
        } catch (SweepConfigException e) {
            err.println("error: " + conf + ": " + e.getMessage());
            return null;
        }
    }

    /** Starts Spark: {@code --master}, else the master spark-submit set, else local[*]; UI off locally. */
    static SparkSession spark(String appName, String master) {
        final SparkSession.Builder b = SparkSession.builder().appName(appName);
        final String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        b.master(m);
        if (m.startsWith("local")) {
            // Embedded Spark: no UI, few shuffle partitions, and nothing bound beyond loopback.
            b.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        final SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    static void report(AnalysisResult result, PrintStream console) {
        console.println(result.consoleTable());
        console.println(result.verdict());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a sweep (only what DIR lacks), then the analysis jobs, and print a summary.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONF", description = "the sweep file (HOCON)")
        Path conf;
        @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: out/<sweep name>)")
        String out;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*] or spark-submit's)")
        String master;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a sweep key, e.g. --set replicates=500")
        List<String> overrides = new ArrayList<>();
        @Option(names = "--overwrite", description = "if DIR holds output of an incompatible sweep, delete that "
            + "output (only what stdp-sweep wrote: other files in DIR are kept) and run afresh")
        boolean overwrite;
        @Option(names = "--no-analysis", description = "skip the analysis jobs (run `analyze DIR` later)")
        boolean noAnalysis;

        @Override
        public Integer call() throws Exception {
            final SweepSpec spec = load(conf, overrides, System.err);
            if (spec == null) {
                return BAD_INPUT;
            }
            final String tooSmall = MemoryCheck.problem(spec, master); // before Spark: no executor exists yet
            if (tooSmall != null) {
                System.err.println("error: " + tooSmall);
                return BAD_INPUT;
            }
            final String dir = out != null ? out : "out/" + spec.name();
            final SweepRunner runner;
            try {
                runner = SweepRunner.prepare(spec, dir, overwrite, System.out);
            } catch (SweepRunner.OutputDirException e) {
                System.err.println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            final long t0 = System.nanoTime();
            final SparkSession spark = spark("stdp-sweep " + spec.name(), master);
            System.out.printf("stdp-sweep: Spark %s started in %.1f s (master %s)%n", spark.version(),
                (System.nanoTime() - t0) / 1e9, spark.sparkContext().master());
            try {
                runner.run(spark);
                if (!noAnalysis) {
                    report(AnalysisJobs.run(spark, dir), System.out);
                }
                System.out.println("stdp-sweep: output in " + dir);
            } finally {
                spark.stop();
            }
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a sweep file and print its size and estimated cost; exit 2 if it is bad.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONF", description = "the sweep file (HOCON)")
        Path conf;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a sweep key")
        List<String> overrides = new ArrayList<>();
        @Option(names = "--cores", description = "cores to estimate wall time for (default: ${DEFAULT-VALUE})")
        int cores = Runtime.getRuntime().availableProcessors();

        @Override
        public Integer call() {
            if (cores < 1) {
                System.err.println("error: --cores = " + cores + " is invalid: allowed is a whole number of at least 1 "
                    + "(the cores to estimate the wall time for)");
                return BAD_INPUT;
            }
            final SweepSpec spec = load(conf, overrides, System.err);
            if (spec == null) {
                return BAD_INPUT;
            }
            System.out.println(conf + ": valid");
            System.out.println(spec.costReport(NOMINAL_NS_PER_UPDATE, cores));
            return 0;
        }
    }

    @Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Re-run the analysis jobs on existing sweep output.")
    static final class Analyze implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "a sweep's output directory")
        String dir;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master")
        String master;

        @Override
        public Integer call() {
            final OutputDir out;
            try {
                out = OutputDir.of(dir, SweepRunner.hadoopConfiguration());
                if (!out.hasRuns()) {
                    System.err.println("error: DIR = " + dir + " is invalid: allowed is the output directory of a "
                        + "sweep run (it has runs/ and checkpoints/)");
                    return BAD_INPUT;
                }
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("error: DIR = \"" + dir + "\" is invalid: " + e.getMessage() + "; allowed is "
                    + OutputDir.ALLOWED + ", the output directory of a sweep run");
                return BAD_INPUT;
            }
            OutputDir.Unrecorded unrecorded = new OutputDir.Unrecorded(0, 0);
            try {
                if (out.isSweepOutput()) {
                    unrecorded = out.unrecorded();
                }
            } catch (IOException e) {
                // Only a courtesy check: a file system hiccup here is no reason to refuse the analysis.
                System.err.println("warning: could not check " + dir + " for files of unfinished batches: "
                    + e.getMessage());
            }
            if (unrecorded.dataFiles() > 0 || unrecorded.stagingFiles() > 0) {
                System.err.println("warning: " + dir + " has " + unrecordedAccount(unrecorded) + " (a sweep was "
                    + "interrupted, or part of its output deleted); `run CONF --out " + dir + "` with the same "
                    + "CONF repairs it, removing them and recomputing what is missing (analyze itself deletes "
                    + "nothing)");
            }
            final SparkSession spark = spark("stdp-sweep analyze", master);
            try {
                report(AnalysisJobs.run(spark, dir), System.out);
            } finally {
                spark.stop();
            }
            return 0;
        }
    }

    private static String unrecordedAccount(OutputDir.Unrecorded u) {
        final List<String> parts = new ArrayList<>();
        if (u.dataFiles() > 0) {
            parts.add(u.dataFiles() + " data file(s) under runs/ and checkpoints/ that no complete batch record "
                + "covers, whose rows the analysis below includes though manifest.json does not count them");
        }
        if (u.stagingFiles() > 0) {
            parts.add(u.stagingFiles() + " leftover staging file(s) under _stdp/staging/ (not analysed)");
        }
        return String.join(" and ", parts);
    }

    /** The version line, from the build stamp. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stdp-sweep " + Manifest.build().getProperty("version", "unknown")
                + " (" + Manifest.build().getProperty("git.commit", "unknown") + ")"};
        }
    }
}

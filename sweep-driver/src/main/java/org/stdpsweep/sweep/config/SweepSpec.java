package org.stdpsweep.sweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A validated sweep: the sweep-wide settings and the grid's cells, read from a HOCON sweep file
 * (docs/sweep-files.md) plus {@code --set key=value} overrides.
 *
 * <p>Reading order: the file is parsed (includes are local files only, see {@link LocalIncluder}),
 * its substitutions are resolved (a {@code ${VAR}} or {@code ${?VAR}} falls back to the
 * environment, as Typesafe Config does by default; the resolved values are recorded by
 * {@link #resolved()}), then each override replaces the value at its key, then everything is
 * validated at once. Any problem throws a {@link SweepConfigException} before any compute.
 *
 * <p>Immutable.
 */
public final class SweepSpec {
    /** The threshold the analysis always needs (tau for dist <= 1e-3, the runs' {@code hit_time_1e3}). */
    public static final double REQUIRED_THRESHOLD = 1e-3;


    /** The model version that enters {@link #compatibilityKey()}. */
    public static final String MODEL_VERSION = "stdp-reduced-chain/v1";

    private final String name;
    private final long seed;
    private final int iterations;
    private final int replicates;
    private final int checkpoints;
    private final double tolerance;
    private final double[] hitThresholds;
    private final List<Cell> cells;
    private final String resolved;
    /** Axis sizes in product order: d, gamma, noise, delta, alpha. */
    private final int[] axisSizes;

    SweepSpec(String name, long seed, int iterations, int replicates, int checkpoints, double tolerance,
              double[] hitThresholds, List<Cell> cells, Map<String, Object> resolved, int[] axisSizes) {
        this.name = name;
        this.seed = seed;
        this.iterations = iterations;
        this.replicates = replicates;
        this.checkpoints = checkpoints;
        this.tolerance = tolerance;
        this.hitThresholds = hitThresholds.clone();
        this.cells = List.copyOf(cells);
        this.resolved = ConfigValueFactory.fromMap(resolved).render(ConfigRenderOptions.concise().setFormatted(true));
        this.axisSizes = axisSizes.clone();
    }

    // ---------------------------------------------------------------------------------------
    // Reading

    /**
     * @param file      a sweep file (HOCON; {@code .json} and {@code .properties} are read as such)
     * @param overrides {@code key=value} strings from {@code --set}; may be null or empty
     * @return the validated sweep
     * @throws SweepConfigException for any unreadable, malformed or invalid input
     */
    public static SweepSpec load(Path file, List<String> overrides) {
        if (file == null) {
            throw new SweepConfigException("sweep file = null is invalid: allowed is the path of a readable file");
        }
        final Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) {
            throw new SweepConfigException("sweep file = " + file + " is invalid: allowed is the path of a readable "
                + "file (" + (Files.exists(abs) ? "it is not a readable regular file" : "it does not exist") + ")");
        }
        final Path dir = abs.getParent() == null ? Paths.get("").toAbsolutePath() : abs.getParent();
        final Config raw;
        try {
            raw = ConfigFactory.parseFile(abs.toFile(), LocalIncluder.options(dir));
        } catch (ConfigException e) {
            throw new SweepConfigException(List.of("sweep file " + file + " cannot be read: " + e.getMessage()), e);
        }
        return build(raw, overrides, "sweep file " + file);
    }

    /**
     * @param hocon     the sweep as HOCON text; relative includes resolve against the working directory
     * @param overrides {@code key=value} strings from {@code --set}; may be null or empty
     * @return the validated sweep
     * @throws SweepConfigException for any malformed or invalid input
     */
    public static SweepSpec parse(String hocon, List<String> overrides) {
        if (hocon == null) {
            throw new SweepConfigException("sweep text = null is invalid: allowed is HOCON text");
        }
        final Config raw;
        try {
            raw = ConfigFactory.parseString(hocon, LocalIncluder.options(Paths.get("").toAbsolutePath()));
        } catch (ConfigException e) {
            throw new SweepConfigException(List.of("sweep text cannot be read: " + e.getMessage()), e);
        }
        return build(raw, overrides, "sweep text");
    }

    private static SweepSpec build(Config raw, List<String> overrides, String what) {
        Config config;
        try {
            config = raw.resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new SweepConfigException(List.of(what + " cannot be resolved: " + e.getMessage()), e);
        }
        final List<String> problems = new ArrayList<>();
        for (String o : overrides == null ? List.<String>of() : overrides) {
            try {
                config = override(config, o);
            } catch (SweepConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new SweepConfigException(problems);
        }
        return new SweepParser().parse(config);
    }

    /** Applies one {@code key=value}: the value, parsed as HOCON, replaces whatever the key held. */
    private static Config override(Config config, String kv) {
        final String shown = SweepParser.OVERRIDE_ORIGIN + kv;
        final int eq = kv == null ? -1 : kv.indexOf('=');
        if (eq <= 0) {
            throw new SweepConfigException(shown + " is invalid: allowed is --set KEY=VALUE with KEY under sweep, "
                + "e.g. --set replicates=500 or --set grid.alpha=[0.1,0.2]");
        }
        final String key = kv.substring(0, eq).trim();
        final String text = kv.substring(eq + 1).trim();
        List<String> path;
        try {
            path = new ArrayList<>(ConfigUtil.splitPath(key));
        } catch (ConfigException e) {
            throw new SweepConfigException(shown + ": the key " + key + " is invalid: allowed is a key path under "
                + "sweep such as replicates or grid.alpha (" + e.getMessage() + ")");
        }
        if (!path.isEmpty() && SweepParser.ROOT.equals(path.get(0))) {
            path = path.subList(1, path.size());
        }
        final String bad = SweepParser.checkOverrideKey(path);
        if (bad != null) {
            throw new SweepConfigException(bad + " (in " + shown + ")");
        }
        final List<String> full = new ArrayList<>();
        full.add(SweepParser.ROOT);
        full.addAll(path);
        return config.withValue(ConfigUtil.joinPath(full), overrideValue(text, shown));
    }

    /**
     * Parses an override's value as one HOCON value (includes are local only, substitutions see
     * only the environment); text that is not valid HOCON and does not open a list or object is
     * taken as a string, so {@code --set grid.noise=uniform:0.5} works without quotes.
     */
    private static ConfigValue overrideValue(String text, String shown) {
        final ConfigParseOptions opts = LocalIncluder.options(Paths.get("").toAbsolutePath())
            .setOriginDescription(shown);
        try {
            final ConfigObject root = ConfigFactory.parseString("v = " + text, opts).resolve().root();
            if (root.keySet().size() == 1 && root.containsKey("v")) {
                return root.get("v");
            }
            throw new SweepConfigException(shown + " is invalid: allowed is a single HOCON value after the '=', "
                + "e.g. 500, \"ar1:0.6\" or [0.1, 0.2]");
        } catch (ConfigException e) {
            if (text.startsWith("[") || text.startsWith("{") || e instanceof ConfigException.UnresolvedSubstitution) {
                throw new SweepConfigException(shown + " is invalid: allowed is a single HOCON value after the '=' ("
                    + e.getMessage() + ")");
            }
            return ConfigValueFactory.fromAnyRef(text, shown);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Getters

    public String name() {
        return name;
    }

    /** @return the master seed */
    public long seed() {
        return seed;
    }

    /** @return the horizon K */
    public int iterations() {
        return iterations;
    }

    /** @return runs per cell */
    public int replicates() {
        return replicates;
    }

    /** @return checkpoints per run (the kernel's log-spaced schedule, 0 and K included) */
    public int checkpoints() {
        return checkpoints;
    }

    /** @return the convergence tolerance on dist(K) */
    public double tolerance() {
        return tolerance;
    }

    /** @return the hit thresholds in configured order, with {@link #REQUIRED_THRESHOLD} appended when it was not listed */
    public double[] hitThresholds() {
        return hitThresholds.clone();
    }

    /** @return the grid's cells, unmodifiable, in product order: d, gamma, noise, delta, alpha (alpha fastest) */
    public List<Cell> cells() {
        return cells;
    }

    /** @return cells x replicates */
    public long runs() {
        return (long) cells.size() * replicates;
    }

    /** @return sum over cells of replicates x iterations x d: an upper bound, since runs may stop early */
    public double coordinateUpdates() {
        double sum = 0;
        for (Cell c : cells) {
            sum += (double) replicates * iterations * c.d();
        }
        return sum;
    }

    /**
     * @return the contents of the resolved {@code sweep} block as formatted JSON: every default
     *     filled in, hit-thresholds as used, ranges expanded into the lists of values actually
     *     run, gamma and noise in canonical spelling. {@code parse("sweep = " + resolved(), null)}
     *     gives the same sweep.
     */
    public String resolved() {
        return resolved;
    }

    /**
     * @return what must match for an existing output directory to be extended: the model version,
     *     seed, iterations, checkpoints, tolerance and hit-thresholds (in order). Replicates and
     *     grid values are left out: raising replicates or adding axis values is a legal top-up.
     */
    public String compatibilityKey() {
        final StringBuilder sb = new StringBuilder(MODEL_VERSION)
            .append(";seed=").append(seed)
            .append(";iterations=").append(iterations)
            .append(";checkpoints=").append(checkpoints)
            .append(";tolerance=").append(tolerance)
            .append(";hit-thresholds=");
        for (int i = 0; i < hitThresholds.length; i++) {
            sb.append(i == 0 ? "" : ",").append(hitThresholds[i]);
        }
        return sb.toString();
    }

    /**
     * @param nsPerUpdate measured kernel cost in nanoseconds per coordinate update (> 0)
     * @param cores       cores the sweep will run on (>= 1)
     * @return a few lines: grid and run counts, the coordinate-update bound, core-hours and wall time
     */
    public String costReport(double nsPerUpdate, int cores) {
        if (!(nsPerUpdate > 0) || !Double.isFinite(nsPerUpdate)) {
            throw new IllegalArgumentException("nsPerUpdate = " + nsPerUpdate + " is invalid: allowed is a finite number > 0");
        }
        if (cores < 1) {
            throw new IllegalArgumentException("cores = " + cores + " is invalid: allowed is an integer >= 1");
        }
        final double updates = coordinateUpdates();
        final double coreSeconds = updates * nsPerUpdate * 1e-9;
        final double wallSeconds = coreSeconds / cores;
        return String.format(Locale.ROOT,
            "sweep %s: %,d cells (d %d x gamma %d x noise %d x delta %d x alpha %d) x %,d replicates = %,d runs "
                + "of K = %,d iterations%n"
                + "iterations: at most %,d (runs x K)%n"
                + "coordinate updates: at most %.3g (sum over cells of replicates x K x d; absorbed runs stop early)%n"
                + "at %.3g ns per update: at most %.3g core-hours, wall time at most %s on %d core%s "
                + "(perfect scaling, no overhead)",
            name, cells.size(), axisSizes[0], axisSizes[1], axisSizes[2], axisSizes[3], axisSizes[4], replicates,
            runs(), iterations, BigInteger.valueOf(runs()).multiply(BigInteger.valueOf(iterations)),
            updates, nsPerUpdate, coreSeconds / 3600, duration(wallSeconds), cores,
            cores == 1 ? "" : "s");
    }

    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.3g s", seconds);
        }
        if (seconds < 2 * 3600) {
            return String.format(Locale.ROOT, "%.3g min", seconds / 60);
        }
        if (seconds < 3 * 86400) {
            return String.format(Locale.ROOT, "%.3g h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.3g days", seconds / 86400);
    }

    @Override
    public String toString() {
        return "SweepSpec{" + name + ", " + cells.size() + " cells x " + replicates + " replicates, K = " + iterations
            + ", seed = " + seed + ", checkpoints = " + checkpoints + ", tolerance = " + tolerance
            + ", hit-thresholds = " + Arrays.toString(hitThresholds) + "}";
    }
}

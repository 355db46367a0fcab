package org.stdpsweep.sweep.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stdpsweep.kernel.CoFiring;
import org.stdpsweep.kernel.Noise;
import org.stdpsweep.kernel.RunParameters;

/**
 * Turns a resolved {@link Config} into a {@link SweepSpec}, or a {@link SweepConfigException}
 * listing every problem found. One instance per parse; not thread-safe.
 */
final class SweepParser {

    static final String ROOT = "sweep";
    static final List<String> TOP_KEYS =
        List.of("name", "seed", "iterations", "replicates", "checkpoints", "tolerance", "hit-thresholds", "grid");
    static final List<String> AXES = List.of("alpha", "delta", "d", "gamma", "noise");
    static final List<String> NUMERIC_AXES = List.of("alpha", "delta", "d");
    static final List<String> RANGE_KEYS = List.of("from", "to", "count", "scale");

    /** Largest d: the kernel stores Gamma as a dense d x d array of doubles (800 MB at d = 10 000). */
    static final int MAX_D = 10_000;
    /** Largest number of values one range may generate. */
    static final int MAX_RANGE_COUNT = 100_000;
    /** Largest number of cells in one sweep (each cell is built once on the driver to name it). */
    static final int MAX_CELLS = 100_000;
    /** Interior range values are rounded to this many significant digits (see docs/sweep-files.md). */
    static final int RANGE_DIGITS = 12;

    static final String OVERRIDE_ORIGIN = "--set ";

    private static final Map<String, String> ALIASES = Map.of(
        "k", "iterations", "horizon", "iterations", "runs", "replicates", "reps", "replicates",
        "thresholds", "hit-thresholds", "hit-times", "hit-thresholds", "q", "noise", "rho", "gamma",
        "lr", "alpha", "gap", "delta");

    static final String SEED_ALLOWED = "an integer (the master seed, a 64-bit long)";
    static final String ITERATIONS_ALLOWED = "an integer >= 1 (the horizon K)";
    static final String REPLICATES_ALLOWED = "an integer >= 1 (runs per cell)";
    static final String CHECKPOINTS_ALLOWED = "an integer >= 2 (0 and K are always checkpoints)";
    static final String POSITIVE_ALLOWED = "a finite number > 0";
    static final String NAME_ALLOWED = "a non-empty string without control characters";
    static final String ALPHA_ALLOWED = "a finite number > 0 (the learning rate)";
    static final String DELTA_ALLOWED = "a number in the open interval (0, 1)";
    static final String D_ALLOWED = "an integer >= 2 and <= " + MAX_D + " (Gamma is a dense d x d matrix)";
    static final String GAMMA_ALLOWED = "one of independent, equicorrelated:RHO, ar1:RHO, block:SIZE:RHO "
        + "(RHO a number in [0, 1], SIZE an integer >= 1), e.g. \"equicorrelated:0.3\"";
    static final String NOISE_ALLOWED = "one of none, uniform:Q, rademacher:Q "
        + "(Q a finite number >= 0, the noise bound |Z_i| <= Q), e.g. \"uniform:1.0\"";
    static final String RANGE_FORM = "a range { from = X, to = Y, count = N, scale = linear|log }";

    private static final Pattern KERNEL_MESSAGE =
        Pattern.compile("^(.+?) = (.*) is invalid: allowed is (.*)$", Pattern.DOTALL);

    private final List<String> problems = new ArrayList<>();
    /** Keys offered as "did you mean": their absence is not reported a second time. */
    private final Set<String> suggested = new LinkedHashSet<>();

    // ---------------------------------------------------------------------------------------
    // Entry point

    SweepSpec parse(Config config) {
        final ConfigValue sweepValue = present(config.root().get(ROOT));
        if (sweepValue == null) {
            final String near = closest(ROOT, config.root().keySet());
            throw new SweepConfigException("sweep is missing: required is an object sweep { name, seed, iterations, "
                + "replicates, grid { alpha, delta, d, gamma, noise } }"
                + (near == null ? "" : "; did you mean sweep instead of " + ConfigUtil.joinPath(near) + "?"));
        }
        if (sweepValue.valueType() != ConfigValueType.OBJECT) {
            throw new SweepConfigException(invalid(ROOT, sweepValue, "an object { name, seed, iterations, replicates, "
                + "grid { ... } }"));
        }
        final ConfigObject sweep = (ConfigObject) sweepValue;
        unknownKeys(sweep, ROOT, TOP_KEYS, "");

        final String name = name(sweep);
        final Long seed = integer(sweep, "seed", null, Long.MIN_VALUE, Long.MAX_VALUE, SEED_ALLOWED, null);
        final Long iterations = integer(sweep, "iterations", null, Integer.MIN_VALUE, Integer.MAX_VALUE,
            ITERATIONS_ALLOWED, v -> base().iterations(v.intValue()).build());
        final Long replicates = integer(sweep, "replicates", null, 1, Integer.MAX_VALUE, REPLICATES_ALLOWED, null);
        final Long checkpoints = integer(sweep, "checkpoints", (long) RunParameters.DEFAULT_CHECKPOINTS,
            Integer.MIN_VALUE, Integer.MAX_VALUE, CHECKPOINTS_ALLOWED, v -> base().checkpoints(v.intValue()).build());
        final Double tolerance = positive(sweep, "tolerance", RunParameters.DEFAULT_TOLERANCE,
            v -> base().tolerance(v).build());
        final double[] thresholds = thresholds(sweep);

        final ConfigObject grid = grid(sweep);
        List<NumValue> alphas = null;
        List<NumValue> deltas = null;
        List<NumValue> ds = null;
        List<GammaValue> gammas = null;
        List<NoiseValue> noises = null;
        if (grid != null) {
            alphas = numericAxis(grid, "alpha");
            deltas = numericAxis(grid, "delta");
            ds = numericAxis(grid, "d");
            gammas = gammaAxis(grid);
            noises = noiseAxis(grid);
        }
        if (alphas != null && noises != null) {
            alphaTimesQ(alphas, noises);
        }
        if (alphas != null && deltas != null && ds != null && gammas != null && noises != null) {
            final long size = (long) alphas.size() * deltas.size() * ds.size() * gammas.size() * noises.size();
            if (size > MAX_CELLS) {
                problems.add("sweep.grid = " + ds.size() + " d x " + gammas.size() + " gamma x " + noises.size()
                    + " noise x " + deltas.size() + " delta x " + alphas.size() + " alpha = " + size
                    + " cells is invalid: allowed is at most " + MAX_CELLS + " cells per sweep");
            }
        }
        if (!problems.isEmpty()) {
            throw new SweepConfigException(problems);
        }

        final List<Cell> cells = new ArrayList<>();
        final Map<String, Cell> byId = new HashMap<>();
        for (NumValue d : ds) {
            for (GammaValue g : gammas) {
                for (NoiseValue n : noises) {
                    for (NumValue delta : deltas) {
                        for (NumValue alpha : alphas) {
                            final Cell cell;
                            try {
                                cell = new Cell(alpha.value, delta.value, (int) d.value, g.structure, g.rho, g.size,
                                    n.model, n.q, iterations.intValue(), checkpoints.intValue(), thresholds,
                                    tolerance);
                            } catch (IllegalArgumentException e) {
                                // Every value was checked above; this is the kernel's last word.
                                problems.add("sweep.grid cell {d = " + (int) d.value + ", gamma = " + g.spec
                                    + ", noise = " + n.spec + ", delta = " + delta.value + ", alpha = " + alpha.value
                                    + "} is invalid: " + e.getMessage());
                                continue;
                            }
                            final Cell twin = byId.putIfAbsent(cell.cellId(), cell);
                            if (twin != null) {
                                problems.add("sweep.grid cell " + cell + " is invalid: allowed is a cell whose id "
                                    + "differs from every other cell's, but it equals that of " + twin);
                            }
                            cells.add(cell);
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SweepConfigException(problems);
        }
        final Map<String, Object> resolved = resolved(name, seed, iterations, replicates, checkpoints, tolerance,
            thresholds, alphas, deltas, ds, gammas, noises);
        return new SweepSpec(name, seed, iterations.intValue(), replicates.intValue(), checkpoints.intValue(),
            tolerance, thresholds, cells, resolved,
            new int[] {ds.size(), gammas.size(), noises.size(), deltas.size(), alphas.size()});
    }

    private static RunParameters.Builder base() {
        return RunParameters.builder().alpha(0.1).d(2).delta(0.5).iterations(1);
    }

    // ---------------------------------------------------------------------------------------
    // Scalars

    private String name(ConfigObject sweep) {
        final ConfigValue v = present(sweep.get("name"));
        final String key = "sweep.name";
        if (v == null) {
            missing(key, NAME_ALLOWED);
            return null;
        }
        if (v.valueType() != ConfigValueType.STRING) {
            problems.add(invalid(key, v, NAME_ALLOWED));
            return null;
        }
        final String s = (String) v.unwrapped();
        if (s.isBlank() || s.chars().anyMatch(Character::isISOControl)) {
            problems.add(invalid(key, v, NAME_ALLOWED));
            return null;
        }
        return s;
    }

    private interface LongProbe {
        void check(Long value);
    }

    private interface DoubleProbe {
        void check(double value);
    }

    /**
     * An integer at sweep.KEY within [min, max], else a problem with {@code allowed}. A probe, if
     * given, is the kernel's own check; its complaint is reported against the key.
     */
    private Long integer(ConfigObject sweep, String name, Long dflt, long min, long max, String allowed,
                         LongProbe probe) {
        final String key = ROOT + "." + name;
        final ConfigValue v = present(sweep.get(name));
        if (v == null) {
            if (dflt == null) {
                missing(key, allowed);
            }
            return dflt;
        }
        final Long x = asLong(v);
        if (x == null || x < min || x > max) {
            problems.add(invalid(key, v, allowed));
            return null;
        }
        if (probe != null && !kernel(key, v, render(v), null, () -> probe.check(x))) {
            return null;
        }
        return x;
    }

    private Double positive(ConfigObject sweep, String name, double dflt, DoubleProbe probe) {
        final String key = ROOT + "." + name;
        final ConfigValue v = present(sweep.get(name));
        if (v == null) {
            return dflt;
        }
        final Double x = asDouble(v);
        if (x == null) {
            problems.add(invalid(key, v, POSITIVE_ALLOWED));
            return null;
        }
        return kernel(key, v, render(v), null, () -> probe.check(x)) ? x : null;
    }

    private double[] thresholds(ConfigObject sweep) {
        final String key = ROOT + ".hit-thresholds";
        final ConfigValue v = present(sweep.get("hit-thresholds"));
        final List<Double> out = new ArrayList<>();
        boolean ok = true;
        if (v != null) {
            if (v.valueType() == ConfigValueType.OBJECT) {
                problems.add(invalid(key, v, "a list of finite numbers > 0, e.g. [1e-1, 1e-3, 1e-6]"));
                return null;
            }
            final List<Labelled> items = items(key, v);
            final Map<Double, String> seen = new HashMap<>();
            for (Labelled it : items) {
                final Double x = asDouble(it.value);
                if (x == null) {
                    problems.add(invalid(it.key, it.value, POSITIVE_ALLOWED));
                    ok = false;
                    continue;
                }
                if (!kernel(it.key, it.value, render(it.value), null, () -> base().hitThresholds(x).build())) {
                    ok = false;
                    continue;
                }
                final String twin = seen.putIfAbsent(x, it.key);
                if (twin != null) {
                    problems.add(invalid(it.key, it.value, "a threshold not already listed (it repeats " + twin + ")"));
                    ok = false;
                    continue;
                }
                out.add(x);
            }
        }
        if (!ok) {
            return null;
        }
        if (!out.contains(SweepSpec.REQUIRED_THRESHOLD)) {
            out.add(SweepSpec.REQUIRED_THRESHOLD);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    // ---------------------------------------------------------------------------------------
    // The grid

    private ConfigObject grid(ConfigObject sweep) {
        final String key = "sweep.grid";
        final ConfigValue v = present(sweep.get("grid"));
        final String allowed = "an object { alpha, delta, d, gamma, noise } with one list (or range) per axis";
        if (v == null) {
            missing(key, allowed);
            return null;
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.add(invalid(key, v, allowed));
            return null;
        }
        final ConfigObject grid = (ConfigObject) v;
        unknownKeys(grid, key, AXES, "");
        return grid;
    }

    /** A numeric axis value with the key (or range position) it came from. */
    static final class NumValue {
        final String key;
        final String shown;
        final double value;
        final ConfigValue source;

        NumValue(String key, String shown, double value, ConfigValue source) {
            this.key = key;
            this.shown = shown;
            this.value = value;
            this.source = source;
        }
    }

    private static final class Labelled {
        final String key;
        final ConfigValue value;

        Labelled(String key, ConfigValue value) {
            this.key = key;
            this.value = value;
        }
    }

    /** The elements of a list as (key[i], value); a lone scalar as a one-element list under the key. */
    private static List<Labelled> items(String key, ConfigValue v) {
        final List<Labelled> out = new ArrayList<>();
        if (v.valueType() == ConfigValueType.LIST) {
            final ConfigList list = (ConfigList) v;
            for (int i = 0; i < list.size(); i++) {
                out.add(new Labelled(key + "[" + i + "]", list.get(i)));
            }
        } else {
            out.add(new Labelled(key, v));
        }
        return out;
    }

    private static String axisAllowed(String axis) {
        switch (axis) {
            case "alpha": return ALPHA_ALLOWED;
            case "delta": return DELTA_ALLOWED;
            case "d": return D_ALLOWED;
            case "gamma": return GAMMA_ALLOWED;
            case "noise": return NOISE_ALLOWED;
            default: throw new AssertionError(axis);
        }
    }

    private List<NumValue> numericAxis(ConfigObject grid, String axis) {
        final String key = "sweep.grid." + axis;
        final String listAllowed = "a non-empty list of values, each " + axisAllowed(axis) + ", or " + RANGE_FORM;
        final int before = problems.size();
        final ConfigValue v = present(grid.get(axis));
        if (v == null) {
            missing(key, listAllowed);
            return null;
        }
        final List<NumValue> values;
        if (v.valueType() == ConfigValueType.OBJECT) {
            values = range(key, axis, (ConfigObject) v);
            if (values == null) {
                return null;
            }
        } else {
            if (v.valueType() == ConfigValueType.LIST && ((ConfigList) v).isEmpty()) {
                problems.add(invalid(key, v, listAllowed));
                return null;
            }
            values = new ArrayList<>();
            for (Labelled it : items(key, v)) {
                final Double x = "d".equals(axis) ? toDouble(asLong(it.value)) : asDouble(it.value);
                if (x == null) {
                    problems.add(invalid(it.key, it.value, axisAllowed(axis)));
                    continue;
                }
                final NumValue nv = new NumValue(it.key, render(it.value), x, it.value);
                checkAxisValue(axis, nv);
                values.add(nv);
            }
        }
        if (v.valueType() == ConfigValueType.OBJECT) {
            for (NumValue nv : values) {
                checkAxisValue(axis, nv);
            }
        }
        final Map<Double, String> seen = new HashMap<>();
        for (NumValue nv : values) {
            final String twin = seen.putIfAbsent(nv.value, nv.key);
            if (twin != null) {
                problems.add(nv.key + " = " + nv.shown + " is invalid: allowed is a value not already on the axis "
                    + "(it repeats " + twin + "; two equal values would be the same cell)" + where(nv.source));
            }
        }
        return problems.size() == before ? values : null;
    }

    private static Double toDouble(Long x) {
        return x == null ? null : x.doubleValue();
    }

    private void checkAxisValue(String axis, NumValue nv) {
        switch (axis) {
            case "alpha":
                kernel(nv.key, nv.source, nv.shown, null, () -> base().alpha(nv.value).build());
                break;
            case "delta":
                kernel(nv.key, nv.source, nv.shown, null, () -> base().delta(nv.value).build());
                break;
            case "d":
                if (!(nv.value >= 2 && nv.value <= MAX_D)) {
                    problems.add(nv.key + " = " + nv.shown + " is invalid: allowed is " + D_ALLOWED + where(nv.source));
                }
                break;
            default:
                throw new AssertionError(axis);
        }
    }

    /** Expands a range object; values are then checked like list values, so from/to are named. */
    private List<NumValue> range(String key, String axis, ConfigObject r) {
        final int before = problems.size();
        unknownKeys(r, key, RANGE_KEYS, " (a range has from, to, count and scale)");
        final ConfigValue fromV = present(r.get("from"));
        final ConfigValue toV = present(r.get("to"));
        final ConfigValue countV = present(r.get("count"));
        final ConfigValue scaleV = present(r.get("scale"));
        final Double from = rangeBound(key + ".from", fromV);
        final Double to = rangeBound(key + ".to", toV);
        Long count = null;
        if (countV == null) {
            missing(key + ".count", "an integer >= 1 (how many values the range generates)");
        } else {
            count = asLong(countV);
            if (count == null || count < 1 || count > MAX_RANGE_COUNT) {
                problems.add(invalid(key + ".count", countV, "an integer >= 1 and <= " + MAX_RANGE_COUNT
                    + " (how many values the range generates)"));
                count = null;
            }
        }
        boolean log = false;
        if (scaleV != null) {
            final Object s = scaleV.unwrapped();
            if ("log".equals(s)) {
                log = true;
            } else if (!"linear".equals(s)) {
                problems.add(invalid(key + ".scale", scaleV, "linear or log (linear when absent)"));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        if (log && !(from > 0)) {
            problems.add(invalid(key + ".from", fromV, "a number > 0 when scale = log"));
            return null;
        }
        if (!(to >= from)) {
            problems.add(invalid(key + ".to", toV, "a number >= from = " + render(fromV)));
            return null;
        }
        final int n = count.intValue();
        final List<NumValue> values = new ArrayList<>(n);
        final Set<Long> seenD = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            final double x;
            if (i == 0) {
                x = from;
            } else if (i == n - 1) {
                x = to;
            } else if (log) {
                x = round(Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * i / (n - 1)));
            } else {
                x = round(from + (to - from) * i / (n - 1));
            }
            final String at = i == 0 ? key + ".from" : i == n - 1 ? key + ".to"
                : key + " (range value #" + (i + 1) + " of " + n + ")";
            final ConfigValue src = i == 0 ? fromV : i == n - 1 ? toV : r;
            if ("d".equals(axis)) {
                final long rounded = Math.round(x);
                if (seenD.add(rounded)) {
                    values.add(new NumValue(at, x == rounded ? Long.toString(rounded) : x + " (rounds to " + rounded + ")",
                        rounded, src));
                }
            } else {
                values.add(new NumValue(at, i == 0 ? render(fromV) : i == n - 1 ? render(toV) : Double.toString(x),
                    x, src));
            }
        }
        return values;
    }

    private Double rangeBound(String key, ConfigValue v) {
        if (v == null) {
            missing(key, "a finite number");
            return null;
        }
        final Double x = asDouble(v);
        if (x == null) {
            problems.add(invalid(key, v, "a finite number"));
        }
        return x;
    }

    /** Rounds an interior range value to 12 significant digits, so 0.1 + 0.2 comes out as 0.3. */
    static double round(double x) {
        return new BigDecimal(x).round(new MathContext(RANGE_DIGITS, RoundingMode.HALF_EVEN)).doubleValue();
    }

    /** A parsed gamma spec. */
    static final class GammaValue {
        final String key;
        final ConfigValue source;
        final CoFiring.Structure structure;
        final double rho;
        final int size;
        final String spec;

        GammaValue(String key, ConfigValue source, CoFiring.Structure structure, double rho, int size) {
            this.key = key;
            this.source = source;
            this.structure = structure;
            this.rho = rho;
            this.size = size;
            this.spec = Cell.gammaSpec(structure, rho, size);
        }
    }

    /** A parsed noise spec. */
    static final class NoiseValue {
        final String key;
        final ConfigValue source;
        final Noise.Model model;
        final double q;
        final String spec;

        NoiseValue(String key, ConfigValue source, Noise.Model model, double q) {
            this.key = key;
            this.source = source;
            this.model = model;
            this.q = q;
            this.spec = model == Noise.Model.NONE ? "none" : model.label() + ":" + q;
        }
    }

    /** The elements of a spec axis (list of strings, or one string), or null after a problem. */
    private List<Labelled> specItems(ConfigObject grid, String axis) {
        final String key = "sweep.grid." + axis;
        final String allowed = "a non-empty list of strings, each " + axisAllowed(axis);
        final ConfigValue v = present(grid.get(axis));
        if (v == null) {
            missing(key, allowed);
            return null;
        }
        if (v.valueType() == ConfigValueType.OBJECT
            || v.valueType() == ConfigValueType.LIST && ((ConfigList) v).isEmpty()) {
            problems.add(invalid(key, v, allowed));
            return null;
        }
        return items(key, v);
    }

    private List<GammaValue> gammaAxis(ConfigObject grid) {
        final List<Labelled> items = specItems(grid, "gamma");
        if (items == null) {
            return null;
        }
        final int before = problems.size();
        final List<GammaValue> out = new ArrayList<>();
        for (Labelled it : items) {
            final GammaValue g = gamma(it);
            if (g != null) {
                out.add(g);
            }
        }
        noDuplicates(out.stream().map(g -> new String[] {g.key, g.spec}).toList(), out.stream().map(g -> g.source).toList());
        return problems.size() == before ? out : null;
    }

    private GammaValue gamma(Labelled it) {
        final String[] parts = specParts(it.value);
        if (parts == null) {
            problems.add(invalid(it.key, it.value, GAMMA_ALLOWED));
            return null;
        }
        final String kind = parts[0].toLowerCase(Locale.ROOT);
        try {
            switch (kind) {
                case "independent":
                    if (parts.length == 1) {
                        return new GammaValue(it.key, it.value, CoFiring.Structure.INDEPENDENT, 0, 0);
                    }
                    break;
                case "equicorrelated":
                case "ar1":
                    if (parts.length == 2) {
                        final Double rho = parseDouble(parts[1]);
                        if (rho == null) {
                            break;
                        }
                        final boolean equi = "equicorrelated".equals(kind);
                        if (kernel(it.key, it.value, render(it.value), "rho",
                            () -> { if (equi) CoFiring.equicorrelated(2, rho); else CoFiring.ar1(2, rho); })) {
                            return new GammaValue(it.key, it.value,
                                equi ? CoFiring.Structure.EQUICORRELATED : CoFiring.Structure.AR1, rho, 0);
                        }
                        return null;
                    }
                    break;
                case "block":
                    if (parts.length == 3) {
                        final Long size = parseLong(parts[1]);
                        final Double rho = parseDouble(parts[2]);
                        if (size == null || rho == null) {
                            break;
                        }
                        if (size < Integer.MIN_VALUE || size > Integer.MAX_VALUE) {
                            problems.add(invalid(it.key, it.value, "a block size that is an integer >= 1 and fits in an int"));
                            return null;
                        }
                        if (kernel(it.key, it.value, render(it.value), "block size",
                            () -> CoFiring.block(2, size.intValue(), rho))) {
                            return new GammaValue(it.key, it.value, CoFiring.Structure.BLOCK, rho, size.intValue());
                        }
                        return null;
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // fall through to the malformed-spec message
        }
        problems.add(invalid(it.key, it.value, GAMMA_ALLOWED));
        return null;
    }

    private List<NoiseValue> noiseAxis(ConfigObject grid) {
        final List<Labelled> items = specItems(grid, "noise");
        if (items == null) {
            return null;
        }
        final int before = problems.size();
        final List<NoiseValue> out = new ArrayList<>();
        for (Labelled it : items) {
            final NoiseValue n = noise(it);
            if (n != null) {
                out.add(n);
            }
        }
        noDuplicates(out.stream().map(n -> new String[] {n.key, n.spec}).toList(), out.stream().map(n -> n.source).toList());
        return problems.size() == before ? out : null;
    }

    private NoiseValue noise(Labelled it) {
        final String[] parts = specParts(it.value);
        if (parts != null) {
            final String kind = parts[0].toLowerCase(Locale.ROOT);
            if ("none".equals(kind) && parts.length == 1) {
                return new NoiseValue(it.key, it.value, Noise.Model.NONE, 0);
            }
            if (("uniform".equals(kind) || "rademacher".equals(kind)) && parts.length == 2) {
                final Double q = parseDouble(parts[1]);
                if (q != null) {
                    final Noise.Model model = Noise.Model.valueOf(kind.toUpperCase(Locale.ROOT));
                    return kernel(it.key, it.value, render(it.value), "Q", () -> Noise.of(model, q))
                        ? new NoiseValue(it.key, it.value, model, q) : null;
                }
            }
        }
        problems.add(invalid(it.key, it.value, NOISE_ALLOWED));
        return null;
    }

    private static String[] specParts(ConfigValue v) {
        if (v.valueType() != ConfigValueType.STRING) {
            return null;
        }
        final String[] parts = ((String) v.unwrapped()).split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }

    private void noDuplicates(List<String[]> keyAndSpec, List<ConfigValue> sources) {
        final Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < keyAndSpec.size(); i++) {
            final String[] ks = keyAndSpec.get(i);
            final String twin = seen.putIfAbsent(ks[1], ks[0]);
            if (twin != null) {
                problems.add(ks[0] + " = " + render(sources.get(i)) + " is invalid: allowed is a value not already on "
                    + "the axis (it is " + ks[1] + ", as is " + twin + "; two equal values would be the same cell)"
                    + where(sources.get(i)));
            }
        }
    }

    /** alpha * Q < 1 for every (alpha, noise) pair of the grid, checked by the kernel. */
    private void alphaTimesQ(List<NumValue> alphas, List<NoiseValue> noises) {
        for (NoiseValue n : noises) {
            final Noise noise = Noise.of(n.model, n.q);
            for (NumValue a : alphas) {
                try {
                    base().alpha(a.value).noise(noise).build();
                } catch (IllegalArgumentException e) {
                    final Matcher m = KERNEL_MESSAGE.matcher(e.getMessage());
                    problems.add(a.key + " = " + a.shown + " with " + n.key + " = " + render(n.source)
                        + " is invalid: alpha*Q = " + (m.matches() ? m.group(2) : a.value * n.q) + "; allowed is "
                        + (m.matches() ? m.group(3) : e.getMessage()) + where(a.source, n.source));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Resolved form for the manifest

    private static Map<String, Object> resolved(String name, long seed, long iterations, long replicates,
                                                long checkpoints, double tolerance, double[] thresholds,
                                                List<NumValue> alphas, List<NumValue> deltas, List<NumValue> ds,
                                                List<GammaValue> gammas, List<NoiseValue> noises) {
        final Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("alpha", alphas.stream().map(v -> v.value).toList());
        grid.put("delta", deltas.stream().map(v -> v.value).toList());
        grid.put("d", ds.stream().map(v -> (int) v.value).toList());
        grid.put("gamma", gammas.stream().map(g -> g.spec).toList());
        grid.put("noise", noises.stream().map(n -> n.spec).toList());
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("seed", seed);
        m.put("iterations", (int) iterations);
        m.put("replicates", (int) replicates);
        m.put("checkpoints", (int) checkpoints);
        m.put("tolerance", tolerance);
        final List<Double> ts = new ArrayList<>();
        for (double t : thresholds) {
            ts.add(t);
        }
        m.put("hit-thresholds", ts);
        m.put("grid", grid);
        return m;
    }

    // ---------------------------------------------------------------------------------------
    // Keys and suggestions

    /** Reports every key of {@code obj} not in {@code known}, suggesting the closest known key. */
    private void unknownKeys(ConfigObject obj, String path, List<String> known, String note) {
        for (String k : obj.keySet()) {
            if (!known.contains(k)) {
                problems.add(unknownKey(path, k, known, note) + where(obj.get(k)));
                final String near = closest(k, known);
                if (near != null) {
                    suggested.add(path + "." + near);
                }
            }
        }
    }

    static String unknownKey(String path, String key, List<String> known, String note) {
        final String full = path + "." + ConfigUtil.joinPath(key);
        final String near = closest(key, known);
        return full + " is not a known key: " + (near == null ? "" : "did you mean " + path + "." + near + "? ")
            + "(allowed keys under " + path + " are " + String.join(", ", known) + note + ")";
    }

    /** Validates an override key path (relative to sweep) against the schema; null if fine. */
    static String checkOverrideKey(List<String> path) {
        if (path.isEmpty()) {
            return "sweep itself cannot be set: allowed is a key under sweep, e.g. replicates or grid.alpha";
        }
        String at = ROOT;
        final String top = path.get(0);
        if (!TOP_KEYS.contains(top)) {
            return unknownKey(at, top, TOP_KEYS, "");
        }
        if (path.size() == 1) {
            return null;
        }
        at += "." + top;
        if (!"grid".equals(top)) {
            return at + "." + ConfigUtil.joinPath(path.subList(1, path.size())) + " is not a known key: " + at
                + " takes a value, not sub-keys";
        }
        final String axis = path.get(1);
        if (!AXES.contains(axis)) {
            return unknownKey(at, axis, AXES, "");
        }
        if (path.size() == 2) {
            return null;
        }
        at += "." + axis;
        if (!NUMERIC_AXES.contains(axis)) {
            return at + "." + ConfigUtil.joinPath(path.subList(2, path.size())) + " is not a known key: " + at
                + " takes a list of strings, not sub-keys";
        }
        if (!RANGE_KEYS.contains(path.get(2))) {
            return unknownKey(at, path.get(2), RANGE_KEYS, " (a range has from, to, count and scale)");
        }
        if (path.size() > 3) {
            return at + "." + ConfigUtil.joinPath(path.subList(2, path.size())) + " is not a known key: " + at + "."
                + path.get(2) + " takes a value, not sub-keys";
        }
        return null;
    }

    /** @return the known key closest to {@code key} (edit distance, ignoring case), or null if none is close */
    static String closest(String key, Iterable<String> known) {
        final String k = key.toLowerCase(Locale.ROOT);
        final String alias = ALIASES.get(k);
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String c : known) {
            if (c.equals(alias)) {
                return c;
            }
            final int dist = editDistance(k, c.toLowerCase(Locale.ROOT));
            if (dist < bestDist) {
                bestDist = dist;
                best = c;
            }
        }
        return best != null && bestDist <= Math.max(2, Math.min(k.length(), best.length()) / 3) && bestDist < k.length()
            ? best : null;
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int editDistance(String a, String b) {
        final int[][] t = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            t[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            t[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                t[i][j] = Math.min(t[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1),
                    Math.min(t[i - 1][j], t[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    t[i][j] = Math.min(t[i][j], t[i - 2][j - 2] + 1);
                }
            }
        }
        return t[a.length()][b.length()];
    }

    // ---------------------------------------------------------------------------------------
    // Values and messages

    /** Null for an absent key and for HOCON null (which, as in Typesafe Config, means absent). */
    static ConfigValue present(ConfigValue v) {
        return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
    }

    /** A finite number, from a HOCON number or a numeric string (substitutions of env vars are strings). */
    static Double asDouble(ConfigValue v) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            final double x = ((Number) v.unwrapped()).doubleValue();
            return Double.isFinite(x) ? x : null;
        }
        if (v.valueType() == ConfigValueType.STRING) {
            return parseDouble((String) v.unwrapped());
        }
        return null;
    }

    /** An integer (64-bit) from an integral HOCON number or an integral numeric string. */
    static Long asLong(ConfigValue v) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            final Object n = v.unwrapped();
            if (n instanceof Integer || n instanceof Long) {
                return ((Number) n).longValue();
            }
            final double x = ((Number) n).doubleValue();
            if (!Double.isFinite(x)) {
                return null;
            }
            return exactLong(new BigDecimal(x));
        }
        if (v.valueType() == ConfigValueType.STRING) {
            return parseLong((String) v.unwrapped());
        }
        return null;
    }

    static Double parseDouble(String s) {
        try {
            final double x = new BigDecimal(s.trim()).doubleValue();
            return Double.isFinite(x) ? x : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Long parseLong(String s) {
        try {
            return exactLong(new BigDecimal(s.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long exactLong(BigDecimal b) {
        try {
            return b.stripTrailingZeros().scale() <= 0 ? b.longValueExact() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * Runs a kernel check; if the kernel refuses, reports its reason against the config key.
     *
     * @param part the kernel's name for a part of the value (e.g. {@code rho} of a gamma spec), or
     *             null when the kernel checks the value itself
     * @return true if the kernel accepted the value
     */
    private boolean kernel(String key, ConfigValue source, String shown, String part, Runnable probe) {
        try {
            probe.run();
            return true;
        } catch (IllegalArgumentException e) {
            final Matcher m = KERNEL_MESSAGE.matcher(e.getMessage() == null ? "" : e.getMessage());
            if (!m.matches()) {
                problems.add(key + " = " + shown + " is invalid: " + e.getMessage() + where(source));
            } else if (part == null) {
                problems.add(key + " = " + shown + " is invalid: allowed is " + m.group(3) + where(source));
            } else {
                problems.add(key + " = " + shown + " is invalid: its " + m.group(1) + " = " + m.group(2)
                    + "; allowed is " + m.group(3) + where(source));
            }
            return false;
        }
    }

    static String invalid(String key, ConfigValue v, String allowed) {
        return key + " = " + render(v) + " is invalid: allowed is " + allowed + where(v);
    }

    /** Reports a missing required key, unless a misspelling of it was already reported. */
    private void missing(String key, String allowed) {
        if (!suggested.contains(key)) {
            problems.add(key + " is missing: it is required; allowed is " + allowed);
        }
    }

    static String render(ConfigValue v) {
        return v.render(ConfigRenderOptions.concise());
    }

    /**
     * Where values came from, e.g. {@code " (at sweep.conf:12)"}, {@code " (at line 3)"} or
     * {@code " (from --set grid.alpha=[0.1])"}; several places are joined with "; ", unknown
     * places left out, and nothing at all if none is known.
     */
    static String where(ConfigValue... values) {
        final Set<String> places = new LinkedHashSet<>();
        for (ConfigValue v : values) {
            final String p = place(v);
            if (p != null) {
                places.add(p);
            }
        }
        return places.isEmpty() ? "" : " (" + String.join("; ", places) + ")";
    }

    private static String place(ConfigValue v) {
        if (v == null || v.origin() == null) {
            return null;
        }
        final ConfigOrigin o = v.origin();
        final String desc = o.description();
        if (desc != null && desc.startsWith(OVERRIDE_ORIGIN)) {
            return "from " + desc.replaceFirst(": \\d+$", "");
        }
        if (o.filename() != null && o.lineNumber() > 0) {
            return "at " + Paths.get(o.filename()).getFileName() + ":" + o.lineNumber();
        }
        if (o.lineNumber() > 0 && desc != null && desc.startsWith("String")) {
            return "at line " + o.lineNumber();
        }
        return null;
    }
}

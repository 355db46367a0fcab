package org.stdpsweep.sweep.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stdpsweep.sweep.config.Sweeps.refused;
import static org.stdpsweep.sweep.config.Sweeps.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing, defaults, ranges, overrides, the product, and what the spec reports. */
class SweepSpecTest {

    private static List<Double> alphas(SweepSpec s) {
        return s.cells().stream().map(Cell::alpha).distinct().toList();
    }

    private static List<Double> deltas(SweepSpec s) {
        return s.cells().stream().map(Cell::delta).distinct().toList();
    }

    private static List<Integer> ds(SweepSpec s) {
        return s.cells().stream().map(Cell::d).distinct().toList();
    }

    // --- the example ------------------------------------------------------------------------

    @Test
    void theExampleHas324Cells() {
        SweepSpec s = SweepSpec.parse(Sweeps.EXAMPLE, List.of());
        assertEquals("theorem22-smoke", s.name());
        assertEquals(20261122L, s.seed());
        assertEquals(2000, s.iterations());
        assertEquals(200, s.replicates());
        assertEquals(40, s.checkpoints());
        assertEquals(1e-6, s.tolerance());
        assertArrayEquals(new double[] {1e-1, 1e-3, 1e-6}, s.hitThresholds());
        assertEquals(3 * 3 * 3 * 4 * 3, s.cells().size());
        assertEquals(324L * 200, s.runs());
        assertEquals(200.0 * 2000 * (2 + 10 + 50) * 108, s.coordinateUpdates());
        assertEquals(List.of(0.01, 0.05, 0.1), alphas(s));
        assertEquals(List.of(2, 10, 50), ds(s));
        assertEquals(List.of("independent", "equicorrelated:0.3", "ar1:0.6", "block:5:0.4"),
            s.cells().stream().map(Cell::gammaSpec).distinct().toList());
        assertEquals(List.of("uniform:1.0", "rademacher:0.5", "none"),
            s.cells().stream().map(Cell::noiseSpec).distinct().toList());
        assertEquals(324, s.cells().stream().map(Cell::cellId).distinct().count());
    }

    @Test
    void productOrderIsDGammaNoiseDeltaAlpha() {
        SweepSpec s = Sweeps.parse("grid.d", "[3, 2]", "grid.gamma", "[independent, \"ar1:0.5\"]",
            "grid.noise", "[none, \"uniform:0.1\"]", "grid.delta", "[0.2, 0.1]", "grid.alpha", "[0.01, 0.02, 0.03]");
        List<String> want = new ArrayList<>();
        for (int d : new int[] {3, 2}) {
            for (String g : new String[] {"independent", "ar1:0.5"}) {
                for (String n : new String[] {"none", "uniform:0.1"}) {
                    for (double delta : new double[] {0.2, 0.1}) {
                        for (double a : new double[] {0.01, 0.02, 0.03}) {
                            want.add(d + "/" + g + "/" + n + "/" + delta + "/" + a);
                        }
                    }
                }
            }
        }
        List<String> got = s.cells().stream()
            .map(c -> c.d() + "/" + c.gammaSpec() + "/" + c.noiseSpec() + "/" + c.delta() + "/" + c.alpha()).toList();
        assertEquals(want, got);
        assertEquals(48, s.cells().size());
        assertThrows(UnsupportedOperationException.class, () -> s.cells().clear());
    }

    // --- defaults ---------------------------------------------------------------------------

    @Test
    void defaults() {
        SweepSpec s = Sweeps.parse();
        assertEquals(40, s.checkpoints());
        assertEquals(1e-6, s.tolerance());
        assertArrayEquals(new double[] {1e-3}, s.hitThresholds());
        assertEquals(40, Sweeps.parse("checkpoints", "null").checkpoints());
    }

    @Test
    void oneEMinusThreeIsAlwaysAThreshold() {
        assertArrayEquals(new double[] {0.1, 1e-3}, Sweeps.parse("hit-thresholds", "[0.1]").hitThresholds());
        assertArrayEquals(new double[] {1e-6, 0.001, 0.1},
            Sweeps.parse("hit-thresholds", "[1e-6, 0.001, 0.1]").hitThresholds());
        assertArrayEquals(new double[] {1e-3}, Sweeps.parse("hit-thresholds", "[]").hitThresholds());
        assertArrayEquals(new double[] {0.01, 1e-3}, Sweeps.parse("hit-thresholds", "0.01").hitThresholds());
    }

    // --- ranges -----------------------------------------------------------------------------

    @Test
    void linearRanges() {
        assertEquals(List.of(0.1, 0.2, 0.3), alphas(Sweeps.parse("grid.alpha", "{ from = 0.1, to = 0.3, count = 3 }")));
        // Interior values are rounded to 12 significant digits, so they are the decimals one would type.
        assertEquals(List.of(0.05, 0.15, 0.25, 0.35),
            deltas(Sweeps.parse("grid.delta", "{ from = 0.05, to = 0.35, count = 4, scale = linear }")));
        assertEquals(List.of(0.2), deltas(Sweeps.parse("grid.delta", "{ from = 0.2, to = 0.9, count = 1 }")));
    }

    @Test
    void logRanges() {
        assertEquals(List.of(0.001, 0.01, 0.1),
            alphas(Sweeps.parse("grid.alpha", "{ from = 0.001, to = 0.1, count = 3, scale = log }")));
        List<Double> a = alphas(Sweeps.parse("grid.alpha", "{ from = 0.001, to = 0.3, count = 8, scale = log }"));
        assertEquals(8, a.size());
        assertEquals(0.001, a.get(0));
        assertEquals(0.3, a.get(7));
        double ratio = Math.pow(300, 1.0 / 7);
        for (int i = 1; i < 8; i++) {
            assertEquals(ratio, a.get(i) / a.get(i - 1), 1e-9);
        }
    }

    @Test
    void dRangesRoundToIntegersAndDropDuplicates() {
        assertEquals(List.of(2, 4, 6, 8, 10), ds(Sweeps.parse("grid.d", "{ from = 2, to = 10, count = 5 }")));
        // 2, 5.32, 14.1, 37.6, 100
        assertEquals(List.of(2, 5, 14, 38, 100), ds(Sweeps.parse("grid.d", "{ from = 2, to = 100, count = 5, scale = log }")));
        // 2, 2.30, 2.64, 3.03, 3.48, 4
        assertEquals(List.of(2, 3, 4), ds(Sweeps.parse("grid.d", "{ from = 2, to = 4, count = 6, scale = log }")));
        assertEquals(List.of(2, 3), ds(Sweeps.parse("grid.d", "{ from = 1.6, to = 3.2, count = 4 }")));
    }

    @Test
    void aScalarIsAOneValueAxis() {
        SweepSpec s = Sweeps.parse("grid.alpha", "0.05", "grid.d", "7", "grid.noise", "\"rademacher:0.5\"");
        assertEquals(List.of(0.05), alphas(s));
        assertEquals(List.of(7), ds(s));
        assertEquals("rademacher", s.cells().get(0).noise());
    }

    // --- overrides --------------------------------------------------------------------------

    @Test
    void overridesReplaceValues() {
        SweepSpec s = SweepSpec.parse(Sweeps.EXAMPLE, List.of("replicates=500", "sweep.seed=7", "grid.alpha=[0.1,0.2]",
            "grid.noise = uniform:0.5", "grid.gamma=[\"ar1:0.6\", independent]", "hit-thresholds=[1e-2]",
            "grid.d={from=2,to=4,count=3}"));
        assertEquals(500, s.replicates());
        assertEquals(7L, s.seed());
        assertEquals(List.of(0.1, 0.2), alphas(s));
        assertEquals(List.of(2, 3, 4), ds(s));
        assertEquals(List.of("uniform:0.5"), s.cells().stream().map(Cell::noiseSpec).distinct().toList());
        assertEquals(List.of("ar1:0.6", "independent"), s.cells().stream().map(Cell::gammaSpec).distinct().toList());
        assertArrayEquals(new double[] {1e-2, 1e-3}, s.hitThresholds());
        assertEquals(3 * 2 * 1 * 3 * 2, s.cells().size());
    }

    @Test
    void overridesCanReachIntoARange() {
        String text = sweep("grid.alpha", "{ from = 0.001, to = 0.1, count = 3, scale = log }");
        assertEquals(5, alphas(SweepSpec.parse(text, List.of("grid.alpha.count=5"))).size());
        assertEquals(40, SweepSpec.parse(text, List.of("checkpoints=null")).checkpoints());
    }

    @Test
    void badOverrideKeysAreReported() {
        refused(Sweeps.EXAMPLE, List.of("replicate=500"),
            "sweep.replicate is not a known key: did you mean sweep.replicates?", "(in --set replicate=500)");
        refused(Sweeps.EXAMPLE, List.of("sweep.grid.alhpa=[0.1]"),
            "sweep.grid.alhpa is not a known key: did you mean sweep.grid.alpha?");
        refused(Sweeps.EXAMPLE, List.of("grid.alpha.cuont=3"),
            "sweep.grid.alpha.cuont is not a known key: did you mean sweep.grid.alpha.count?");
        refused(Sweeps.EXAMPLE, List.of("seed.x=3"), "sweep.seed.x is not a known key: sweep.seed takes a value");
        refused(Sweeps.EXAMPLE, List.of("replicates"), "--set replicates is invalid: allowed is --set KEY=VALUE");
        refused(Sweeps.EXAMPLE, List.of("grid.alpha=[0.1,"), "--set grid.alpha=[0.1, is invalid: allowed is a single HOCON value");
    }

    @Test
    void badOverrideValuesNameTheOverride() {
        refused(Sweeps.EXAMPLE, List.of("iterations=many"),
            "sweep.iterations = \"many\" is invalid: allowed is an integer >= 1 (the horizon K) (from --set iterations=many)");
        refused(Sweeps.EXAMPLE, List.of("grid.delta=[0.1, 1.5]"),
            "sweep.grid.delta[1] = 1.5 is invalid: allowed is a number in the open interval (0, 1) "
                + "(from --set grid.delta=[0.1, 1.5])");
    }

    @Test
    void optionalEnvironmentSubstitutionsFallBack() {
        SweepSpec s = Sweeps.parse("replicates", "9\nsweep.replicates = ${?STDP_SWEEP_SURELY_UNSET_VARIABLE}");
        assertEquals(9, s.replicates());
    }

    // --- compatibility key ------------------------------------------------------------------

    @Test
    void compatibilityKeyIgnoresReplicatesAndGridButNotTheHorizon() {
        String base = Sweeps.parse().compatibilityKey();
        assertTrue(base.startsWith("stdp-reduced-chain/v1;seed=1;iterations=100;checkpoints=40;"), base);
        assertEquals(base, Sweeps.parse("replicates", "5000").compatibilityKey());
        assertEquals(base, Sweeps.parse("grid.alpha", "[0.1, 0.2]", "grid.d", "[2, 10]").compatibilityKey());
        assertEquals(base, Sweeps.parse("name", "other").compatibilityKey());
        assertEquals(base, Sweeps.parse("hit-thresholds", "[1e-3]").compatibilityKey());
        assertNotEquals(base, Sweeps.parse("seed", "2").compatibilityKey());
        assertNotEquals(base, Sweeps.parse("iterations", "101").compatibilityKey());
        assertNotEquals(base, Sweeps.parse("checkpoints", "41").compatibilityKey());
        assertNotEquals(base, Sweeps.parse("tolerance", "1e-7").compatibilityKey());
        assertNotEquals(base, Sweeps.parse("hit-thresholds", "[1e-2]").compatibilityKey());
    }

    // --- resolved form and cost -------------------------------------------------------------

    @Test
    void resolvedIsJsonOfTheEffectiveSweepAndReadsBackTheSame() {
        SweepSpec s = SweepSpec.parse(sweep("grid.alpha", "{ from = 0.001, to = 0.1, count = 3, scale = log }",
            "grid.gamma", "[\"ar1:.6\"]"), List.of("replicates=11"));
        Config json = ConfigFactory.parseString(s.resolved(),
            com.typesafe.config.ConfigParseOptions.defaults().setSyntax(com.typesafe.config.ConfigSyntax.JSON));
        assertEquals(List.of(0.001, 0.01, 0.1), json.getDoubleList("grid.alpha"));
        assertEquals(List.of("ar1:0.6"), json.getStringList("grid.gamma"));
        assertEquals(11, json.getInt("replicates"));
        assertEquals(40, json.getInt("checkpoints"));
        assertEquals(List.of(1e-3), json.getDoubleList("hit-thresholds"));
        assertTrue(s.resolved().contains("\n"), "formatted");
        SweepSpec back = SweepSpec.parse("sweep = " + s.resolved(), List.of());
        assertEquals(s.compatibilityKey(), back.compatibilityKey());
        assertEquals(s.cells(), back.cells());
        assertEquals(s.replicates(), back.replicates());
        assertEquals(s.resolved(), back.resolved());
    }

    @Test
    void costReport() {
        SweepSpec s = SweepSpec.parse(Sweeps.EXAMPLE, List.of());
        String r = s.costReport(10, 2);
        // 2.6784e9 updates x 10 ns = 26.784 core-seconds = 0.00744 core-hours; 13.4 s on 2 cores
        for (String f : new String[] {"theorem22-smoke", "324 cells", "(d 3 x gamma 4 x noise 3 x delta 3 x alpha 3)",
            "200 replicates", "64,800 runs", "K = 2,000 iterations", "iterations: at most 129,600,000", "2.68e+09",
            "0.00744 core-hours", "13.4 s", "2 cores"}) {
            assertTrue(r.contains(f), () -> "report lacks <" + f + ">:\n" + r);
        }
        assertTrue(s.costReport(1e6, 1).contains("days"));
        assertThrows(IllegalArgumentException.class, () -> s.costReport(0, 2));
        assertThrows(IllegalArgumentException.class, () -> s.costReport(5, 0));
    }
}

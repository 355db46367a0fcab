package org.stdpsweep.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stdpsweep.sweep.config.Sweeps.refused;
import static org.stdpsweep.sweep.config.Sweeps.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind of bad sweep file is refused before any compute, with key, value and what is allowed. */
class SweepValidationTest {

    // --- keys -------------------------------------------------------------------------------

    @Test
    void misspeltTopLevelKeySuggestsTheKnownOne() {
        refused(sweep("replicate", "200"), "sweep.replicate is not a known key: did you mean sweep.replicates?",
            "allowed keys under sweep are name, seed, iterations, replicates");
    }

    @Test
    void aMisspeltRequiredKeyIsReportedOnce() {
        SweepConfigException e = refused(sweep("replicates", null, "replicate", "200"),
            "sweep.replicate is not a known key: did you mean sweep.replicates?");
        assertEquals(1, e.problems().size(), e.getMessage());
    }

    @Test
    void misspeltKeysAnywhereUnderSweepAreReported() {
        refused(sweep("grid.alhpa", "[0.1]"), "sweep.grid.alhpa is not a known key: did you mean sweep.grid.alpha?");
        refused(sweep("hit_thresholds", "[0.1]"),
            "sweep.hit_thresholds is not a known key: did you mean sweep.hit-thresholds?");
        refused(sweep("grid.alpha", "{ from = 0.01, to = 0.1, count = 3, scael = log }"),
            "sweep.grid.alpha.scael is not a known key: did you mean sweep.grid.alpha.scale?");
        refused(sweep("colour", "blue"), "sweep.colour is not a known key: (allowed keys under sweep are name, seed");
    }

    @Test
    void missingSweepBlock() {
        refused("sweeps { name = x }", "sweep is missing", "did you mean sweep instead of sweeps?");
        refused("sweep = 5", "sweep = 5 is invalid: allowed is an object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "seed", "iterations", "replicates", "grid.alpha", "grid.delta", "grid.d",
        "grid.gamma", "grid.noise"})
    void requiredKeysMustBePresent(String key) {
        refused(sweep(key, null), "sweep." + key + " is missing: it is required; allowed is ");
    }

    @Test
    void missingGrid() {
        String text = sweep("grid.alpha", null, "grid.delta", null, "grid.d", null, "grid.gamma", null,
            "grid.noise", null);
        refused(text, "sweep.grid is missing: it is required; allowed is an object { alpha, delta, d, gamma, noise }");
    }

    // --- scalars ----------------------------------------------------------------------------

    @Test
    void wrongTypes() {
        refused(sweep("iterations", "\"many\""),
            "sweep.iterations = \"many\" is invalid: allowed is an integer >= 1 (the horizon K)");
        refused(sweep("iterations", "2.5"), "sweep.iterations = 2.5 is invalid: allowed is an integer >= 1");
        refused(sweep("replicates", "[1, 2]"), "sweep.replicates = [1,2] is invalid: allowed is an integer >= 1");
        refused(sweep("name", "{ a = 1 }"), "sweep.name = {\"a\":1} is invalid: allowed is a non-empty string");
        refused(sweep("grid", "[1]"), "sweep.grid = [1] is invalid: allowed is an object");
    }

    @Test
    void seedMustBeAnInteger() {
        refused(sweep("seed", "1.5"), "sweep.seed = 1.5 is invalid: allowed is an integer (the master seed");
        refused(sweep("seed", "abc"), "sweep.seed = \"abc\" is invalid: allowed is an integer");
        // Typesafe Config keeps a number too large for a long as a string.
        refused(sweep("seed", "99999999999999999999"), "sweep.seed = \"99999999999999999999\" is invalid");
    }

    @Test
    void numericStringsAndIntegralDoublesAreAccepted() {
        // Environment substitutions arrive as strings; 2e4 is a HOCON double.
        SweepSpec s = Sweeps.parse("seed", "\"-42\"", "iterations", "2e4", "replicates", "\"7\"");
        assertEquals(-42L, s.seed());
        assertEquals(20000, s.iterations());
        assertEquals(7, s.replicates());
    }

    @Test
    void iterationsReplicatesCheckpointsBounds() {
        refused(sweep("iterations", "0"), "sweep.iterations = 0 is invalid: allowed is an integer >= 1 (the horizon K)");
        refused(sweep("replicates", "0"), "sweep.replicates = 0 is invalid: allowed is an integer >= 1 (runs per cell)");
        refused(sweep("checkpoints", "1"), "sweep.checkpoints = 1 is invalid: allowed is an integer >= 2");
        refused(sweep("iterations", "3000000000"), "sweep.iterations = 3000000000 is invalid");
    }

    @Test
    void toleranceAndThresholdsMustBePositive() {
        refused(sweep("tolerance", "0"), "sweep.tolerance = 0 is invalid: allowed is a finite number > 0");
        refused(sweep("tolerance", "\"tiny\""), "sweep.tolerance = \"tiny\" is invalid: allowed is a finite number > 0");
        refused(sweep("hit-thresholds", "[1e-1, -1]"),
            "sweep.hit-thresholds[1] = -1 is invalid: allowed is a finite number > 0");
        refused(sweep("hit-thresholds", "[1e-1, 0.1]"), "sweep.hit-thresholds[1] = 0.1 is invalid: allowed is a "
            + "threshold not already listed (it repeats sweep.hit-thresholds[0])");
    }

    // --- axes -------------------------------------------------------------------------------

    @Test
    void emptyAxis() {
        refused(sweep("grid.delta", "[]"), "sweep.grid.delta = [] is invalid: allowed is a non-empty list of values");
        refused(sweep("grid.gamma", "[]"), "sweep.grid.gamma = [] is invalid: allowed is a non-empty list of strings");
    }

    @Test
    void alphaMustBePositive() {
        SweepConfigException e = refused(sweep("grid.alpha", "[0.1, 0, -1]"),
            "sweep.grid.alpha[1] = 0 is invalid: allowed is a finite number > 0",
            "sweep.grid.alpha[2] = -1 is invalid: allowed is a finite number > 0");
        assertEquals(2, e.problems().size());
    }

    @Test
    void deltaMustBeInTheOpenUnitInterval() {
        refused(sweep("grid.delta", "[0.1, 1.5]"),
            "sweep.grid.delta[1] = 1.5 is invalid: allowed is a number in the open interval (0, 1)");
        refused(sweep("grid.delta", "[0]"),
            "sweep.grid.delta[0] = 0 is invalid: allowed is a number in the open interval (0, 1)");
    }

    @Test
    void dMustBeAnIntegerAtLeastTwo() {
        refused(sweep("grid.d", "[2, 1]"), "sweep.grid.d[1] = 1 is invalid: allowed is an integer >= 2");
        refused(sweep("grid.d", "[2.5]"), "sweep.grid.d[0] = 2.5 is invalid: allowed is an integer >= 2");
        refused(sweep("grid.d", "[\"ten\"]"), "sweep.grid.d[0] = \"ten\" is invalid: allowed is an integer >= 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ar1", "ar2:0.5", "block:5", "block:2.5:0.3", "equicorrelated:x", "independent:0.1",
        "", "equicorrelated:0.3:1"})
    void malformedGammaListsTheSpellings(String spec) {
        refused(sweep("grid.gamma", "[\"" + spec + "\"]"), "sweep.grid.gamma[0] = \"" + spec + "\" is invalid: "
            + "allowed is one of independent, equicorrelated:RHO, ar1:RHO, block:SIZE:RHO");
    }

    @Test
    void gammaMustNotBeANumber() {
        refused(sweep("grid.gamma", "[0.3]"), "sweep.grid.gamma[0] = 0.3 is invalid: allowed is one of independent");
    }

    @Test
    void rhoAndBlockSize() {
        refused(sweep("grid.gamma", "[independent, \"ar1:1.5\"]"),
            "sweep.grid.gamma[1] = \"ar1:1.5\" is invalid: its rho = 1.5; allowed is a number in [0, 1]");
        refused(sweep("grid.gamma", "[\"equicorrelated:-0.1\"]"),
            "sweep.grid.gamma[0] = \"equicorrelated:-0.1\" is invalid: its rho = -0.1; allowed is a number in [0, 1]");
        refused(sweep("grid.gamma", "[\"block:0:0.4\"]"),
            "sweep.grid.gamma[0] = \"block:0:0.4\" is invalid: its block size = 0; allowed is an integer >= 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian:1", "uniform", "none:0", "rademacher:x", "uniform:1:2"})
    void malformedNoiseListsTheSpellings(String spec) {
        refused(sweep("grid.noise", "[\"" + spec + "\"]"), "sweep.grid.noise[0] = \"" + spec + "\" is invalid: "
            + "allowed is one of none, uniform:Q, rademacher:Q");
    }

    @Test
    void negativeNoiseBound() {
        refused(sweep("grid.noise", "[\"uniform:-1\"]"),
            "sweep.grid.noise[0] = \"uniform:-1\" is invalid: its Q = -1.0; allowed is a finite number >= 0");
    }

    @Test
    void alphaTimesQMustStayBelowOneForEveryPair() {
        SweepConfigException e = refused(sweep("grid.alpha", "[0.1, 0.5]", "grid.noise", "[\"rademacher:0.5\", \"uniform:2.0\"]"),
            "sweep.grid.alpha[1] = 0.5 with sweep.grid.noise[1] = \"uniform:2.0\" is invalid: alpha*Q = 1.0; "
                + "allowed is a number < 1");
        assertEquals(1, e.problems().size(), e.getMessage());
    }

    @Test
    void duplicateAxisValuesWouldBeTheSameCell() {
        refused(sweep("grid.alpha", "[0.1, 0.2, 0.10]"),
            "sweep.grid.alpha[2] = 0.1 is invalid: allowed is a value not already on the axis (it repeats sweep.grid.alpha[0]");
        refused(sweep("grid.gamma", "[\"ar1:0.6\", \"ar1:.6\"]"),
            "sweep.grid.gamma[1] = \"ar1:.6\" is invalid: allowed is a value not already on the axis (it is ar1:0.6, "
                + "as is sweep.grid.gamma[0]");
    }

    // --- ranges -----------------------------------------------------------------------------

    @Test
    void badRanges() {
        refused(sweep("grid.alpha", "{ from = 0.01, to = 0.1, count = 0 }"),
            "sweep.grid.alpha.count = 0 is invalid: allowed is an integer >= 1");
        refused(sweep("grid.alpha", "{ from = 0.01, to = 0.1, count = 2.5 }"),
            "sweep.grid.alpha.count = 2.5 is invalid: allowed is an integer >= 1");
        refused(sweep("grid.alpha", "{ from = 0.01, to = 0.1 }"),
            "sweep.grid.alpha.count is missing: it is required; allowed is an integer >= 1");
        refused(sweep("grid.alpha", "{ to = 0.1, count = 3 }"),
            "sweep.grid.alpha.from is missing: it is required; allowed is a finite number");
        refused(sweep("grid.alpha", "{ from = 0.01, to = 0.1, count = 3, scale = logarithmic }"),
            "sweep.grid.alpha.scale = \"logarithmic\" is invalid: allowed is linear or log");
        refused(sweep("grid.delta", "{ from = 0, to = 0.5, count = 3, scale = log }"),
            "sweep.grid.delta.from = 0 is invalid: allowed is a number > 0 when scale = log");
        refused(sweep("grid.alpha", "{ from = 0.3, to = 0.001, count = 3 }"),
            "sweep.grid.alpha.to = 0.001 is invalid: allowed is a number >= from = 0.3");
        refused(sweep("grid.alpha", "{ from = x, to = 0.1, count = 3 }"),
            "sweep.grid.alpha.from = \"x\" is invalid: allowed is a finite number");
    }

    @Test
    void rangeValuesAreCheckedLikeListValues() {
        refused(sweep("grid.delta", "{ from = 0.1, to = 1.2, count = 3 }"),
            "sweep.grid.delta.to = 1.2 is invalid: allowed is a number in the open interval (0, 1)");
        refused(sweep("grid.alpha", "{ from = 0, to = 0.2, count = 3 }"),
            "sweep.grid.alpha.from = 0 is invalid: allowed is a finite number > 0");
        refused(sweep("grid.d", "{ from = 1, to = 5, count = 3 }"),
            "sweep.grid.d.from = 1 is invalid: allowed is an integer >= 2");
        refused(sweep("grid.alpha", "{ from = 0.1, to = 0.9, count = 3 }", "grid.noise", "[\"uniform:2\"]"),
            "sweep.grid.alpha (range value #2 of 3) = 0.5 with sweep.grid.noise[0] = \"uniform:2\" is invalid: "
                + "alpha*Q = 1.0");
    }

    // --- reporting --------------------------------------------------------------------------

    @Test
    void everyProblemIsCollected() {
        SweepConfigException e = refused(sweep("iterations", "0", "grid.delta", "[1.5]", "replicate", "3"),
            "3 problems in the sweep:", "sweep.iterations = 0", "sweep.grid.delta[0] = 1.5", "sweep.replicate");
        assertEquals(3, e.problems().size());
    }

    @Test
    void problemsInAFileNameTheFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, Sweeps.EXAMPLE.replace("delta = [0.05, 0.1, 0.2]", "delta = [0.05, 1.5, 0.2]"));
        SweepConfigException e = assertThrows(SweepConfigException.class, () -> SweepSpec.load(f, List.of()));
        assertEquals("sweep.grid.delta[1] = 1.5 is invalid: allowed is a number in the open interval (0, 1) "
            + "(at bad.conf:11)", e.getMessage());
    }

    @Test
    void unreadableOrMalformedFiles(@TempDir Path dir) throws IOException {
        SweepConfigException e = assertThrows(SweepConfigException.class,
            () -> SweepSpec.load(dir.resolve("nope.conf"), List.of()));
        assertTrue(e.getMessage().contains("nope.conf is invalid: allowed is the path of a readable file (it does not exist)"),
            e.getMessage());
        Path f = dir.resolve("broken.conf");
        Files.writeString(f, "sweep { name = \"x\"\n");
        e = assertThrows(SweepConfigException.class, () -> SweepSpec.load(f, List.of()));
        assertTrue(e.getMessage().startsWith("sweep file " + f + " cannot be read: "), e.getMessage());
        refused("sweep { seed = ${NO_SUCH_STDP_SWEEP_VARIABLE_X} }", "cannot be resolved",
            "NO_SUCH_STDP_SWEEP_VARIABLE_X");
    }

    @Test
    void tooLargeGridsAreRefusedUpFront() {
        refused(sweep("grid.alpha", "{ from = 0.001, to = 0.1, count = 1000 }",
                "grid.delta", "{ from = 0.01, to = 0.9, count = 1000 }"),
            "sweep.grid = 1 d x 1 gamma x 1 noise x 1000 delta x 1000 alpha = 1000000 cells is invalid: allowed is at most");
    }
}

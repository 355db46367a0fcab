package org.stdpsweep.sweep.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small sweep texts for tests: a valid default, with some keys replaced, removed or added. */
final class Sweeps {
    private Sweeps() {
    }

    static final String EXAMPLE = String.join("\n",
        "sweep {",
        "  name = \"theorem22-smoke\"",
        "  seed = 20261122              # master seed (long)",
        "  iterations = 2000            # K",
        "  replicates = 200             # runs per cell",
        "  checkpoints = 40",
        "  tolerance = 1e-6",
        "  hit-thresholds = [1e-1, 1e-3, 1e-6]",
        "  grid {",
        "    alpha = [0.01, 0.05, 0.1]  # or { from = 0.001, to = 0.3, count = 8, scale = log }",
        "    delta = [0.05, 0.1, 0.2]",
        "    d     = [2, 10, 50]",
        "    gamma = [\"independent\", \"equicorrelated:0.3\", \"ar1:0.6\", \"block:5:0.4\"]",
        "    noise = [\"uniform:1.0\", \"rademacher:0.5\", \"none\"]",
        "  }",
        "}");

    /**
     * @param kv pairs of (key relative to sweep, raw HOCON value); a null value removes the key
     * @return a sweep file: the small default sweep with those changes, one key per line
     */
    static String sweep(String... kv) {
        final Map<String, String> m = new LinkedHashMap<>();
        m.put("name", "\"t\"");
        m.put("seed", "1");
        m.put("iterations", "100");
        m.put("replicates", "3");
        m.put("grid.alpha", "[0.1]");
        m.put("grid.delta", "[0.2]");
        m.put("grid.d", "[2]");
        m.put("grid.gamma", "[independent]");
        m.put("grid.noise", "[none]");
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        final StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append("sweep.").append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    static SweepSpec parse(String... kv) {
        return SweepSpec.parse(sweep(kv), List.of());
    }

    /** Asserts that the text is refused with a message containing every fragment; returns the exception. */
    static SweepConfigException refused(String text, List<String> overrides, String... fragments) {
        final SweepConfigException e = assertThrows(SweepConfigException.class, () -> SweepSpec.parse(text, overrides));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks <" + f + ">:\n" + e.getMessage());
        }
        return e;
    }

    static SweepConfigException refused(String text, String... fragments) {
        return refused(text, List.of(), fragments);
    }
}

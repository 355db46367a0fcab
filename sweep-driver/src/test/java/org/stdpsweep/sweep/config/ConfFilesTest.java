package org.stdpsweep.sweep.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep files shipped in conf/ parse, at the scale they promise. */
class ConfFilesTest {

    /** conf/ of the repository: tests run in the module directory. */
    private static Path conf(String name) {
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path c = p.resolve("conf").resolve(name);
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new AssertionError("conf/" + name + " not found above " + here);
    }

    @Test
    void smokeIsTheDocumentedExample() throws IOException {
        Path f = conf("theorem22-smoke.conf");
        assertEquals(Sweeps.EXAMPLE.strip(), Files.readString(f).strip());
        SweepSpec s = SweepSpec.load(f, List.of());
        assertEquals(324, s.cells().size());
        assertEquals(200, s.replicates());
    }

    @Test
    void fullIsClusterScale() {
        SweepSpec s = SweepSpec.load(conf("theorem22-full.conf"), List.of());
        assertEquals(512, s.cells().size());
        assertTrue(s.replicates() >= 10_000);
        assertTrue(s.runs() >= 5_000_000L);
        assertEquals(20_000, s.iterations());
        assertArrayEquals(new double[] {1e-1, 1e-3, 1e-6}, s.hitThresholds());
        List<Double> alphas = s.cells().stream().map(Cell::alpha).distinct().toList();
        assertEquals(8, alphas.size());
        assertEquals(0.001, alphas.get(0));
        assertEquals(0.3, alphas.get(7));
        assertEquals(List.of(2, 10, 50, 100), s.cells().stream().map(Cell::d).distinct().toList());
    }
}

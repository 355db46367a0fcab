package org.stdpsweep.sweep.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stdpsweep.kernel.Checkpoints;
import org.stdpsweep.kernel.CoFiring;
import org.stdpsweep.kernel.Noise;
import org.stdpsweep.kernel.RunParameters;

/** A cell's kernel parameters, identity and serial form. */
class CellTest {

    private static Cell only(SweepSpec s) {
        assertEquals(1, s.cells().size());
        return s.cells().get(0);
    }

    private static Cell find(SweepSpec s, double alpha) {
        return s.cells().stream().filter(c -> c.alpha() == alpha).findFirst().orElseThrow();
    }

    @Test
    void paramsMatchTheCellAndTheSweep() {
        SweepSpec s = SweepSpec.parse(Sweeps.EXAMPLE, List.of());
        for (Cell c : s.cells()) {
            RunParameters p = c.params();
            assertEquals(c.alpha(), p.alpha());
            assertEquals(c.delta(), p.delta());
            assertEquals(c.d(), p.d());
            assertTrue(p.isCanonical());
            assertEquals(c.gamma(), p.gamma().structure().label());
            assertEquals(c.gammaSpec(), p.gamma().label());
            assertEquals(c.noise(), p.noise().model().label());
            assertEquals(c.noiseSpec(), p.noise().label());
            assertEquals(c.q(), p.noise().q());
            assertEquals(c.blockSize(), p.gamma().blockSize());
            assertEquals(s.iterations(), p.iterations());
            assertArrayEquals(Checkpoints.logSpaced(s.iterations(), s.checkpoints()), p.checkpoints());
            assertArrayEquals(s.hitThresholds(), p.hitThresholds());
            assertEquals(s.tolerance(), p.tolerance());
            assertEquals(p.cellId(), c.cellId());
        }
    }

    @Test
    void structureParameters() {
        Cell ind = only(Sweeps.parse("grid.gamma", "[independent]", "grid.noise", "[none]"));
        assertEquals("independent", ind.gamma());
        assertEquals(0.0, ind.rho());
        assertEquals(0, ind.blockSize());
        assertEquals("none", ind.noise());
        assertEquals(0.0, ind.q());
        assertEquals(CoFiring.independent(2), ind.params().gamma());
        assertEquals(Noise.none(), ind.params().noise());

        Cell block = only(Sweeps.parse("grid.gamma", "[\"BLOCK: 5 : .4\"]", "grid.noise", "[\"rademacher:0.25\"]",
            "grid.d", "[10]"));
        assertEquals("block", block.gamma());
        assertEquals(0.4, block.rho());
        assertEquals(5, block.blockSize());
        assertEquals("block:5:0.4", block.gammaSpec());
        assertEquals("rademacher", block.noise());
        assertEquals(0.25, block.q());
        assertEquals("rademacher:0.25", block.noiseSpec());
        assertEquals(CoFiring.block(10, 5, 0.4), block.params().gamma());
        assertEquals(Noise.rademacher(0.25), block.params().noise());

        Cell equi = only(Sweeps.parse("grid.gamma", "[\"equicorrelated:0.3\"]", "grid.noise", "[\"uniform:1\"]"));
        assertEquals("equicorrelated", equi.gamma());
        assertEquals(0.3, equi.rho());
        assertEquals(0, equi.blockSize());
        assertEquals("uniform:1.0", equi.noiseSpec());
    }

    @Test
    void cellIdDependsOnTheValuesNotOnTheRestOfTheAxis() {
        Cell alone = only(Sweeps.parse("grid.alpha", "[0.1]"));
        Cell amongOthers = find(Sweeps.parse("grid.alpha", "[0.05, 0.1, 0.2]", "grid.d", "[2, 10]"), 0.1);
        Cell fromARange = find(Sweeps.parse("grid.alpha", "{ from = 0.05, to = 0.2, count = 4 }"), 0.1);
        Cell otherSweepSettings = only(Sweeps.parse("grid.alpha", "[0.1]", "seed", "99", "iterations", "5000",
            "replicates", "1", "checkpoints", "7", "hit-thresholds", "[0.5]"));
        assertEquals(alone.cellId(), amongOthers.cellId());
        assertEquals(alone.cellId(), fromARange.cellId());
        assertEquals(alone.cellId(), otherSweepSettings.cellId());
        assertNotEquals(alone.cellId(), only(Sweeps.parse("grid.alpha", "[0.11]")).cellId());
        assertEquals(alone.cellId(), Sweeps.parse("grid.alpha", "[0.1]").cells().get(0).params().cellId());
    }

    @Test
    void serialisesAndRebuildsTheSameParameters() throws IOException, ClassNotFoundException {
        for (Cell c : SweepSpec.parse(Sweeps.EXAMPLE, List.of()).cells().subList(0, 40)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(c);
            }
            Cell back;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                back = (Cell) in.readObject();
            }
            assertEquals(c, back);
            assertEquals(c.cellId(), back.cellId());
            assertEquals(c.params().cellId(), back.params().cellId());
            assertEquals(c.gammaSpec(), back.gammaSpec());
            assertEquals(c.toString(), back.toString());
        }
    }
}

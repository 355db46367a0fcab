package org.stdpsweep.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import org.stdpsweep.sweep.config.Cell;
import org.stdpsweep.sweep.config.SweepSpec;

/**
 * {@code DIR/manifest.json}: what was run, by which build, when, and which cells are complete.
 * Wall-clock times and hosts live here, never in the rows.
 */
final class Manifest {
    private Manifest() {
    }

    /** The build's version and git commit, filtered into the jar by Maven. */
    static Properties build() {
        final Properties p = new Properties();
        try (InputStream in = Manifest.class.getResourceAsStream("/stdp-sweep-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // An unreadable build stamp is reported as unknown, not fatal.
        }
        // A build outside a git checkout leaves the placeholder unfiltered.
        p.stringPropertyNames().stream().filter(k -> p.getProperty(k).startsWith("${")).forEach(p::remove);
        return p;
    }

    static String render(SweepSpec spec, Map<String, ReplicateRanges> done, String sparkVersion,
                         String master, Instant started, Instant finished) {
        final Properties build = build();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", "stdp-sweep");
        m.put("version", build.getProperty("version", "unknown"));
        m.put("git_commit", build.getProperty("git.commit", "unknown"));
        m.put("model_version", SweepSpec.MODEL_VERSION);
        m.put("spark_version", sparkVersion);
        m.put("spark_master", master);
        m.put("started", started.toString());
        m.put("finished", finished == null ? null : finished.toString());
        m.put("sweep", ConfigFactory.parseString(spec.resolved()).root().unwrapped());
        final List<Object> cells = new ArrayList<>();
        int complete = 0;
        for (Cell cell : spec.cells()) {
            final ReplicateRanges have = done.getOrDefault(cell.cellId(), ReplicateRanges.EMPTY);
            final boolean isComplete = have.covers(spec.replicates());
            complete += isComplete ? 1 : 0;
            final Map<String, Object> c = new LinkedHashMap<>();
            c.put("cell_id", cell.cellId());
            c.put("d", cell.d());
            c.put("alpha", cell.alpha());
            c.put("delta", cell.delta());
            c.put("gamma", cell.gammaSpec());
            c.put("noise", cell.noiseSpec());
            c.put("replicates_done", have.countBelow(spec.replicates()));
            c.put("complete", isComplete);
            cells.add(c);
        }
        m.put("cells_total", spec.cells().size());
        m.put("cells_complete", complete);
        m.put("cells", cells);
        return ConfigValueFactory.fromMap(m).render(ConfigRenderOptions.concise().setFormatted(true)) + "\n";
    }
}

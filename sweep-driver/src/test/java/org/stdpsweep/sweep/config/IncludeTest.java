package org.stdpsweep.sweep.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stdpsweep.sweep.config.Sweeps.refused;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Includes read local files only, relative to the including file; URLs and classpath are refused. */
class IncludeTest {

    private static final String SCALARS = "sweep { name = inc, seed = 5, iterations = 10, replicates = 2 }\n";

    @Test
    void relativeIncludesResolveAgainstTheIncludingFile(@TempDir Path dir) throws IOException {
        Path parts = Files.createDirectories(dir.resolve("sweeps/parts"));
        Files.writeString(parts.resolve("grid.conf"),
            "sweep.grid { alpha = [0.1], delta = [0.2], d = [2, 3], gamma = [independent] }\ninclude \"noise.conf\"\n");
        Files.writeString(parts.resolve("noise.conf"), "sweep.grid.noise = [\"uniform:0.5\"]\n");
        Path main = dir.resolve("sweeps/main.conf");
        Files.writeString(main, SCALARS + "include \"parts/grid.conf\"\n");
        SweepSpec s = SweepSpec.load(main, List.of());
        assertEquals(2, s.cells().size());
        assertEquals("uniform:0.5", s.cells().get(0).noiseSpec());

        Path viaFile = dir.resolve("sweeps/file.conf");
        Files.writeString(viaFile, SCALARS + "include file(\"parts/grid.conf\")\n");
        assertEquals(2, SweepSpec.load(viaFile, List.of()).cells().size());

        Path required = dir.resolve("sweeps/required.conf");
        Files.writeString(required, SCALARS + "include required(\"parts/grid.conf\")\n");
        assertEquals(2, SweepSpec.load(required, List.of()).cells().size());
    }

    @Test
    void aMissingIncludeIsAnError(@TempDir Path dir) throws IOException {
        Path main = dir.resolve("main.conf");
        Files.writeString(main, SCALARS + "include \"nowhere.conf\"\n");
        SweepConfigException e = assertThrows(SweepConfigException.class, () -> SweepSpec.load(main, List.of()));
        assertTrue(e.getMessage().contains("include \"nowhere.conf\" = " + dir.resolve("nowhere.conf")),
            e.getMessage());
        assertTrue(e.getMessage().contains("allowed is a readable local file (every include in a sweep file is required"),
            e.getMessage());
    }

    @Test
    void urlIncludesAreRefusedWithoutTouchingTheNetwork() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/x.conf";
            refused(Sweeps.sweep() + "include url(\"" + url + "\")\n",
                "include url(\"" + url + "\") is refused: allowed is a local file");
            refused(Sweeps.sweep() + "include \"" + url + "\"\n", "include \"" + url + "\" is refused");
            refused(Sweeps.sweep() + "include required(url(\"" + url + "\"))\n", "is refused");
            refused(Sweeps.sweep(), List.of("grid={ include url(\"" + url + "\") }"), "is refused");
            assertThrows(SocketTimeoutException.class, server::accept, "the parser connected to the URL");
        }
        refused(Sweeps.sweep() + "include url(\"http://127.0.0.1:9/x.conf\")\n",
            "include url(\"http://127.0.0.1:9/x.conf\") is refused: allowed is a local file",
            "never a URL or a classpath resource");
        refused(Sweeps.sweep() + "include url(\"file:///etc/hosts\")\n", "is refused");
    }

    @Test
    void classpathIncludesAreRefused() {
        refused(Sweeps.sweep() + "include classpath(\"reference.conf\")\n",
            "include classpath(\"reference.conf\") is refused: allowed is a local file");
    }
}

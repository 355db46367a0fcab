package org.stdpsweep.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders a report in headless Chromium (Debian's {@code chromium}; .ci/run installs it): the
 * page loads without console messages (a control page with a console error and an uncaught
 * exception shows the check sees both), its DOM holds the summary and the plots, and a
 * screenshot is far from blank. Skipped, saying so on stderr, when Chromium is not installed. The
 * screenshot is kept as {@code target/report-rendering/report.png} for a person to look at.
 */
class ReportRenderingTest {
    private static final String SKIP = "chromium not installed: skipping the report rendering test";

    @Test
    void rendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
        final String chromium = findChromium();
        if (chromium == null) {
            // Surefire's summary shows only "Skipped: 1"; say why where the build log shows it.
            System.err.println("ReportRenderingTest: SKIPPED: " + SKIP);
        }
        Assumptions.assumeTrue(chromium != null, SKIP);

        // Positive control: the console check must see what a broken page logs, or it proves nothing.
        final Path control = tmp.resolve("control.html");
        Files.writeString(control, "<!DOCTYPE html><html><body><p>control</p><script>"
            + "console.error('control-console-error'); throw new Error('control-uncaught');</script></body></html>",
            StandardCharsets.UTF_8);
        final String controlLog = String.join("\n", console(chromium(chromium, tmp.resolve("profile-control"),
            "--enable-logging=stderr", "--v=0", "--dump-dom", control.toUri().toString())));
        assertTrue(controlLog.contains("control-console-error") && controlLog.contains("control-uncaught"),
            "the console check must catch console.error and an uncaught exception on the control page, got:\n"
                + controlLog);

        final Path report = tmp.resolve("report.html");
        Files.writeString(report, HtmlReport.render(SyntheticReport.build()), StandardCharsets.UTF_8);
        final String url = report.toUri().toString();

        final Result dom = chromium(chromium, tmp.resolve("profile-dom"), "--enable-logging=stderr", "--v=0",
            "--dump-dom", url);
        assertEquals(List.of(), console(dom), "the page must load without console messages");
        assertTrue(dom.stdout.contains("id=\"summary-table\""), "DOM:\n" + head(dom.stdout));
        assertTrue(dom.stdout.contains("id=\"verdict\""));
        assertTrue(HtmlReportTest.count(dom.stdout, "<svg") >= 20, "the plots are in the DOM");

        final Path png = Path.of("target", "report-rendering", "report.png");
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        final Result shot = chromium(chromium, tmp.resolve("profile-shot"), "--hide-scrollbars",
            "--screenshot=" + png.toAbsolutePath(), "--window-size=1400,3000", url);
        assertTrue(Files.exists(png), "no screenshot:\n" + shot.stderr);
        final BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1400, img.getWidth());
        final Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 200, "a rendered report has many colours, found " + colours.size());
    }

    private record Result(String stdout, String stderr) {
    }

    /** The page's console lines and uncaught exceptions, as Chromium logs them to stderr. */
    private static List<String> console(Result r) {
        return r.stderr.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught"))
            .collect(Collectors.toList());
    }

    private static Result chromium(String exe, Path profile, String... args) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        final List<String> cmd = new ArrayList<>(List.of(exe, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(List.of(args));
        final File out = profile.resolveSibling(profile.getFileName() + ".out").toFile();
        final File err = profile.resolveSibling(profile.getFileName() + ".err").toFile();
        final Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s: " + cmd);
        }
        return new Result(Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    private static String findChromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                final File f = new File(dir, name);
                if (f.isFile() && f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        return null;
    }

    private static String head(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }
}

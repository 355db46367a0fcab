package org.stdpsweep.sweep.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The only includer a sweep file gets: local files only, so that reading a sweep can never
 * reach the network (or pick up a resource from whatever jar is on the classpath).
 *
 * <ul>
 *   <li>{@code include "x.conf"} and {@code include file("x.conf")} read a local file; a
 *       relative name resolves against the directory of the file that contains the include
 *       (for a sweep given as a string, the working directory). The name is used exactly as
 *       written: no {@code .conf/.json/.properties} guessing.</li>
 *   <li>Every include is required: a missing file is an error, not an empty object, because a
 *       silently skipped include runs a different sweep than the one written.</li>
 *   <li>{@code include url(...)}, {@code include classpath(...)} and a bare include that looks like
 *       a URL ({@code include "http://..."}) are refused with a {@link SweepConfigException}.</li>
 * </ul>
 *
 * It implements all three qualified-include interfaces and ignores {@link #withFallback}, so the
 * library's default includer (which would fetch URLs) is never consulted.
 */
final class LocalIncluder implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {

    /** A URI scheme of two or more letters followed by ':' (one letter would be a Windows drive). */
    private static final Pattern URL_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);

    private static final String POLICY =
        "a sweep file may include only local files, as include \"file.conf\" or include file(\"file.conf\") "
            + "(relative to the including file's directory)";

    private final Path baseDir;

    /** @param baseDir the directory relative includes resolve against; absolute */
    LocalIncluder(Path baseDir) {
        this.baseDir = baseDir.toAbsolutePath().normalize();
    }

    /** @return parse options that route every include through a LocalIncluder rooted at baseDir */
    static ConfigParseOptions options(Path baseDir) {
        return ConfigParseOptions.defaults().setIncluder(new LocalIncluder(baseDir)).setAllowMissing(false);
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        return this; // never fall back to the default includer: it would fetch URLs
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        if (URL_LIKE.matcher(what).matches()) {
            throw refused("include \"" + what + "\"");
        }
        return includeLocal("include \"" + what + "\"", what);
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        return includeLocal("include file(\"" + what.getPath() + "\")", what.getPath());
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
        throw refused("include url(\"" + what + "\")");
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
        throw refused("include classpath(\"" + what + "\")");
    }

    private static SweepConfigException refused(String statement) {
        return new SweepConfigException(statement + " is refused: allowed is a local file; " + POLICY
            + ", never a URL or a classpath resource");
    }

    private ConfigObject includeLocal(String statement, String name) {
        final Path file = baseDir.resolve(name).normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SweepConfigException(statement + " = " + file + " is invalid: allowed is a readable local "
                + "file (every include in a sweep file is required; relative names resolve against " + baseDir + ")");
        }
        final Path dir = file.getParent() == null ? baseDir : file.getParent();
        return ConfigFactory.parseFile(file.toFile(), options(dir)).root();
    }
}

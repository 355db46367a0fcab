package org.stdpsweep.sweep.config;

import java.util.List;

/**
 * A sweep file, or a {@code --set} override, that cannot be run. Thrown before any compute.
 *
 * <p>Every problem names the key by its full path (e.g. {@code sweep.grid.alpha[2]}), the
 * value found there and what is allowed, e.g.
 * {@code sweep.grid.delta[1] = 1.5 is invalid: allowed is a number in the open interval (0, 1)}.
 * Validation collects every problem it can find in one pass (problems that depend on an earlier
 * one, such as alpha*Q for an alpha that is already wrong, are not repeated); {@link #problems()}
 * lists them and the message shows them one per line. The CLI prints the message and exits 2.
 */
public final class SweepConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** At most this many problems are spelled out in the message; all stay in {@link #problems()}. */
    static final int MAX_LISTED = 40;

    private final List<String> problems;

    /** @param problem one problem, already phrased as key, value and what is allowed */
    public SweepConfigException(String problem) {
        this(List.of(problem), null);
    }

    /** @param problems one or more problems, in the order found */
    public SweepConfigException(List<String> problems) {
        this(problems, null);
    }

    SweepConfigException(List<String> problems, Throwable cause) {
        super(message(problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found, in the order found (never empty) */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SweepConfigException needs at least one problem");
        }
        if (problems.size() == 1) {
            return problems.get(0);
        }
        final StringBuilder sb = new StringBuilder().append(problems.size()).append(" problems in the sweep:");
        for (int i = 0; i < problems.size() && i < MAX_LISTED; i++) {
            sb.append("\n  - ").append(problems.get(i));
        }
        if (problems.size() > MAX_LISTED) {
            sb.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
        }
        return sb.toString();
    }
}

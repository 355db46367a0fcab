package org.stdpsweep.kernel;

/** Log-spaced checkpoint schedules for curves and rate fits. */
public final class Checkpoints {
    private Checkpoints() {
    }

    /**
     * The iterations at which a run records dist and margin: 0, then {@code count - 1} values
     * spaced evenly in log k from 1 to K, rounded, made strictly increasing, ending at K. When
     * {@code count >= K + 1} the schedule is every k in 0..K.
     *
     * @param iterations K >= 1
     * @param count      points wanted, >= 2
     * @return strictly increasing iterations, first 0, last K
     */
    public static int[] logSpaced(int iterations, int count) {
        if (iterations < 1) {
            throw Invalid.parameter("iterations", iterations, "an integer >= 1");
        }
        if (count < 2) {
            throw Invalid.parameter("checkpoints", count, "an integer >= 2 (0 and K are always checkpoints)");
        }
        if (count - 1 >= iterations) { // not count >= iterations + 1: that overflows at K = Integer.MAX_VALUE
            final int[] all = new int[iterations + 1];
            for (int k = 0; k <= iterations; k++) {
                all[k] = k;
            }
            return all;
        }
        final int[] ks = new int[count];
        final int n = count - 1; // points from 1 to K
        final double logK = Math.log(iterations);
        for (int j = 0; j < n; j++) {
            final double x = n == 1 ? iterations : Math.exp(logK * j / (n - 1));
            final int rounded = (int) Math.round(x);
            // Strictly increasing, but leave room for the points still to come before K.
            ks[j + 1] = Math.min(Math.max(rounded, ks[j] + 1), iterations - (n - 1 - j));
        }
        return ks;
    }
}

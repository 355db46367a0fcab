package org.stdpsweep.kernel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A run's random stream is a pure function of (master seed, cell parameters, replicate): the
 * 256-bit SHA-256 digest of the cell's exact parameter description (see
 * {@code RunParameters.streamKey}), the master seed and the replicate index seeds an
 * {@link org.apache.commons.rng.core.source64.L64X128Mix}. No position in a grid enters, so
 * adding a value to a sweep axis changes no existing run; docs/model-choices.md says why the
 * streams are independent enough.
 */
public final class StreamSeed {
    private StreamSeed() {
    }

    /**
     * @param masterSeed the sweep's master seed
     * @param cell       the run's parameters (only those defining the chain's law enter)
     * @param replicate  the replicate index, >= 0
     * @return the four 64-bit words that seed {@code L64X128Mix}
     */
    public static long[] of(long masterSeed, RunParameters cell, long replicate) {
        if (replicate < 0) {
            throw Invalid.parameter("replicate", replicate, "an integer >= 0");
        }
        final MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        sha.update(cell.cellDigest());
        update(sha, masterSeed);
        update(sha, replicate);
        final byte[] h = sha.digest();
        final long[] seed = new long[4];
        for (int i = 0; i < 32; i++) {
            seed[i >> 3] = (seed[i >> 3] << 8) | (h[i] & 0xff);
        }
        return seed;
    }

    private static void update(MessageDigest sha, long x) {
        for (int s = 56; s >= 0; s -= 8) {
            sha.update((byte) (x >>> s));
        }
    }
}

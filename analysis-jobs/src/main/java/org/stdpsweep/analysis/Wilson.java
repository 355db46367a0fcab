package org.stdpsweep.analysis;

import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * The Wilson score interval for a binomial proportion (no continuity correction):
 * {@code (p + z^2/(2n) -+ z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n)} with {@code p = s/n}.
 * One closed form, in plain Java for tests and reports, and as a Spark column expression for
 * the jobs. At s = 0 the lower bound is exactly 0 and at s = n the upper bound exactly 1 (the
 * closed form's value there, which rounding would miss by ~1e-17); otherwise bounds are clamped
 * to [0, 1].
 */
public final class Wilson {
    /** The two-sided 95% normal quantile, Phi^{-1}(0.975). */
    public static final double Z95 = 1.959963984540054;

    private Wilson() {
    }

    /**
     * @param successes s, 0 <= s <= n
     * @param n         trials, n >= 1
     * @param z         normal quantile, e.g. {@link #Z95}
     * @return {lower, upper}
     */
    public static double[] interval(long successes, long n, double z) {
        if (n < 1 || successes < 0 || successes > n) {
            throw new IllegalArgumentException("successes = " + successes + ", n = " + n
                + " is invalid: allowed is n >= 1 and 0 <= successes <= n");
        }
        final double nn = n;
        final double p = successes / nn;
        final double z2 = z * z;
        final double denom = 1 + z2 / nn;
        final double centre = (p + z2 / (2 * nn)) / denom;
        final double half = z / denom * Math.sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
        // At s = 0 (s = n) the exact lower (upper) bound is 0 (1); rounding would leave ~1e-17.
        final double lower = successes == 0 ? 0 : Math.max(0, centre - half);
        final double upper = successes == n ? 1 : Math.min(1, centre + half);
        return new double[] {lower, upper};
    }

    /** @return the 95% lower bound as a column; null when {@code n <= 0} */
    public static Column lower(Column successes, Column n) {
        return bound(successes, n, false);
    }

    /** @return the 95% upper bound as a column; null when {@code n <= 0} */
    public static Column upper(Column successes, Column n) {
        return bound(successes, n, true);
    }

    private static Column bound(Column successes, Column n, boolean upper) {
        final Column nn = n.cast("double");
        final Column p = successes.cast("double").divide(nn);
        final double z2 = Z95 * Z95;
        final Column denom = lit(1.0).plus(lit(z2).divide(nn));
        final Column centre = p.plus(lit(z2 / 2).divide(nn)).divide(denom);
        final Column half = lit(Z95).divide(denom)
            .multiply(sqrt(p.multiply(lit(1.0).minus(p)).divide(nn).plus(lit(z2 / 4).divide(nn.multiply(nn)))));
        final Column value = upper
            ? when(successes.equalTo(n), lit(1.0)).otherwise(least(lit(1.0), centre.plus(half)))
            : when(successes.equalTo(0), lit(0.0)).otherwise(greatest(lit(0.0), centre.minus(half)));
        return when(n.gt(0), value);
    }
}

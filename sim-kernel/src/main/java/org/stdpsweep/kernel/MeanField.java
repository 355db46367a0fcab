package org.stdpsweep.kernel;

/**
 * The deterministic mean-field iteration {@code p <- p + alpha p * (Gamma p - (p' Gamma p) 1)},
 * the reference curve that the Monte Carlo mean follows for small alpha (MODEL.md section 1).
 */
public final class MeanField {
    private MeanField() {
    }

    /** dist and margin of the mean-field iteration at a run's checkpoints. */
    public static final class Curve {
        private final int[] checkpoints;
        private final double[] dist;
        private final double[] margin;

        Curve(int[] checkpoints, double[] dist, double[] margin) {
            this.checkpoints = checkpoints;
            this.dist = dist;
            this.margin = margin;
        }

        public int[] checkpoints() {
            return checkpoints.clone();
        }

        public double[] dist() {
            return dist.clone();
        }

        public double[] margin() {
            return margin.clone();
        }
    }

    /**
     * Iterates the mean-field map from p(0) to K, renormalising each step, and records dist
     * (from the small coordinates) and margin at the checkpoints of {@code params}. Like the
     * chain, it stops once dist < 1e-250 and carries that value on.
     *
     * <p>The map is a small-alpha reference: its factor {@code 1 + alpha (Gamma p - p'Gamma p)_i}
     * is at least {@code 1 - alpha}, so for alpha >= 1 it can reach 0 or below and leave the
     * simplex (the chain itself cannot: its factors are {@code 1 + alpha (B + Z)} > 0). From the
     * first step with a factor <= 0 the curve is undefined and every later checkpoint is NaN.
     */
    public static Curve of(RunParameters params) {
        final int d = params.d();
        final double alpha = params.alpha();
        final CoFiring gamma = params.gamma();
        final CoFiring.Structure structure = gamma.structure();
        // Gamma p in O(d) when Gamma = (1 - rho) I + rho 11' (independent: rho = 0).
        final boolean equi = gamma.isIdentity() || structure == CoFiring.Structure.EQUICORRELATED;
        final double rho = gamma.isIdentity() ? 0 : gamma.rho();
        final double[] g = gamma.flat();
        final double[] p = params.p0();
        final double[] gp = new double[d];
        final int[] ks = params.checkpoints();
        final double[] dist = new double[ks.length];
        final double[] margin = new double[ks.length];
        final int iterations = params.iterations();
        int next = 0;
        double curDist = 0;
        double curMargin = 0;
        for (int k = 0; k <= iterations; k++) {
            double rest = 0;
            double max = 0;
            for (int i = 1; i < d; i++) {
                rest += p[i];
                max = Math.max(max, p[i]);
            }
            final double sum = p[0] + rest;
            curDist = 2 * rest / sum;
            curMargin = (p[0] - max) / sum;
            if (k == ks[next]) {
                dist[next] = curDist;
                margin[next++] = curMargin;
            }
            if (k == iterations || curDist < StdpKernel.ABSORBED) {
                break;
            }
            for (int i = 0; i < d; i++) {
                p[i] /= sum;
            }
            double pgp = 0;
            for (int i = 0; i < d; i++) {
                double x;
                if (equi) {
                    x = (1 - rho) * p[i] + rho;
                } else {
                    x = 0;
                    final int row = i * d;
                    for (int j = 0; j < d; j++) {
                        x += g[row + j] * p[j];
                    }
                }
                gp[i] = x;
                pgp += p[i] * x;
            }
            boolean leftSimplex = false;
            for (int i = 0; i < d; i++) {
                final double factor = 1 + alpha * (gp[i] - pgp);
                leftSimplex |= !(factor > 0);
                p[i] *= factor;
            }
            if (leftSimplex) {
                curDist = Double.NaN;
                curMargin = Double.NaN;
                break;
            }
        }
        for (int j = next; j < ks.length; j++) {
            dist[j] = curDist;
            margin[j] = curMargin;
        }
        return new Curve(ks, dist, margin);
    }
}

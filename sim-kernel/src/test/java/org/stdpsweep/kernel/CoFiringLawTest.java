package org.stdpsweep.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The joint law of one step's co-firing vector B, which the drift test sees only through its
 * mean: d = 3, no noise, alpha = 0.4, from p = (0.5, 0.3, 0.2), with an explicit Gamma whose three
 * off-diagonal entries differ (0.3, 0.7, 0.5), so that reading the wrong pair's entry of Gamma, or
 * one uniform for both non-trigger inputs, changes the law (Gamma is symmetric, so row and column
 * cannot be told apart, nor need they be). Computed here without the kernel:
 * trigger I with probability p_I, then each j != I fires independently with probability
 * Gamma[j][I], and
 * <pre>
 *   p(1) = p * f / <p, f>,   f_i = 1 + alpha B_i.
 * </pre>
 * 3 triggers x 4 co-firing patterns = 12 outcomes; p(1) depends only on the set of inputs that
 * fired, so they merge into 7 atoms (the non-empty subsets of {1, 2, 3}; pairwise more than 1e-3
 * apart in p_1(1) or p_2(1)), e.g. P(B = (1, 1, 0)) = p_1 Gamma[2][1] (1 - Gamma[3][1]) +
 * p_2 Gamma[1][2] (1 - Gamma[3][2]). N = 40,000 one-step runs under a fixed seed: every run must
 * land on an atom (to 1e-12), and each atom's frequency within 4 binomial standard errors of its
 * probability (7 atoms: false-failure odds below 7 x 6.3e-5 = 4.4e-4).
 */
class CoFiringLawTest {
    private static final double ALPHA = 0.4;
    private static final double[] P = {0.5, 0.3, 0.2};
    private static final double[][] GAMMA = {{1, 0.3, 0.7}, {0.3, 1, 0.5}, {0.7, 0.5, 1}};
    private static final int N = 40_000;
    private static final double SIGMAS = 4;

    private record Atom(double[] p, double prob) {
    }

    private static List<Atom> exactLaw() {
        final List<Atom> atoms = new ArrayList<>();
        for (int trigger = 0; trigger < 3; trigger++) {
            for (int pattern = 0; pattern < 4; pattern++) {
                final double[] b = new double[3];
                b[trigger] = 1;
                double prob = P[trigger];
                int bit = 0;
                for (int j = 0; j < 3; j++) {
                    if (j == trigger) {
                        continue;
                    }
                    final boolean fires = (pattern >> bit++ & 1) == 1;
                    b[j] = fires ? 1 : 0;
                    prob *= fires ? GAMMA[j][trigger] : 1 - GAMMA[j][trigger];
                }
                final double[] next = new double[3];
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    next[i] = P[i] * (1 + ALPHA * b[i]);
                    sum += next[i];
                }
                for (int i = 0; i < 3; i++) {
                    next[i] /= sum;
                }
                final Atom same = find(atoms, next);
                if (same == null) {
                    atoms.add(new Atom(next, prob));
                } else {
                    atoms.set(atoms.indexOf(same), new Atom(same.p(), same.prob() + prob));
                }
            }
        }
        return atoms;
    }

    private static Atom find(List<Atom> atoms, double[] p) {
        for (Atom a : atoms) {
            if (Math.abs(a.p()[0] - p[0]) <= 1e-12 && Math.abs(a.p()[1] - p[1]) <= 1e-12) {
                return a;
            }
        }
        return null;
    }

    @Test
    void coFiringIsIndependentBernoulliOfTheTriggersColumn() {
        final List<Atom> atoms = exactLaw();
        assertEquals(7, atoms.size(), "distinct atoms");
        for (int a = 0; a < atoms.size(); a++) {
            for (int b = 0; b < a; b++) {
                final double gap = Math.max(Math.abs(atoms.get(a).p()[0] - atoms.get(b).p()[0]),
                    Math.abs(atoms.get(a).p()[1] - atoms.get(b).p()[1]));
                assertTrue(gap > 1e-3, "atoms " + a + " and " + b + " are too close to tell apart");
            }
        }
        final RunParameters params = RunParameters.builder().alpha(ALPHA).lambda(P).w0(1, 1, 1)
            .gamma(CoFiring.explicit(GAMMA)).iterations(1).checkpoints(2).build();
        final StdpKernel kernel = new StdpKernel();
        final double[] p = new double[3];
        final int[] count = new int[atoms.size()];
        for (int r = 0; r < N; r++) {
            kernel.run(params, 20261201L, r);
            kernel.copyFinalP(p);
            final Atom hit = find(atoms, p);
            if (hit == null) {
                fail("p(1) = " + Arrays.toString(p) + " is none of the atoms of the exact law");
            }
            count[atoms.indexOf(hit)]++;
        }
        for (int a = 0; a < atoms.size(); a++) {
            final double prob = atoms.get(a).prob();
            final double se = Math.sqrt(prob * (1 - prob) / N);
            final double freq = (double) count[a] / N;
            assertTrue(Math.abs(freq - prob) <= SIGMAS * se, "P(p(1) = " + Arrays.toString(atoms.get(a).p())
                + "): exact " + prob + ", observed " + freq + " (" + (freq - prob) / se + " SE)");
        }
    }
}

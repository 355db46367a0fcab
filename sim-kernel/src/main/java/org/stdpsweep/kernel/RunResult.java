package org.stdpsweep.kernel;

/** What one run of the chain reports (MODEL.md, "Events and statistics of one run"). Immutable. */
public final class RunResult {
    /** Marks an event that did not happen: Theta_K held, or a threshold was never hit. */
    public static final int NEVER = -1;

    private final boolean converged;
    private final int winner;
    private final double finalDist;
    private final double finalMargin;
    private final int thetaExit;
    private final int[] hitTimes;
    private final StopReason stopReason;
    private final int iterationsRun;
    private final int[] checkpoints;
    private final double[] checkpointDist;
    private final double[] checkpointMargin;

    RunResult(boolean converged, int winner, double finalDist, double finalMargin, int thetaExit,
              int[] hitTimes, StopReason stopReason, int iterationsRun, int[] checkpoints,
              double[] checkpointDist, double[] checkpointMargin) {
        this.converged = converged;
        this.winner = winner;
        this.finalDist = finalDist;
        this.finalMargin = finalMargin;
        this.thetaExit = thetaExit;
        this.hitTimes = hitTimes;
        this.stopReason = stopReason;
        this.iterationsRun = iterationsRun;
        this.checkpoints = checkpoints;
        this.checkpointDist = checkpointDist;
        this.checkpointMargin = checkpointMargin;
    }

    /** @return argmax p(K) is input 1 (index 0) and dist(K) <= tolerance */
    public boolean converged() {
        return converged;
    }

    /** @return argmax p(K), 0-based (0 is the most active input); ties go to the lower index */
    public int winner() {
        return winner;
    }

    /** @return dist(K) = |p(K) - e_1|_1, or the absorbed value if the run stopped early */
    public double finalDist() {
        return finalDist;
    }

    /** @return m(K) = p_1(K) - max_{i>1} p_i(K) */
    public double finalMargin() {
        return finalMargin;
    }

    /** @return the first k with m(k) < Delta/2, or {@link #NEVER} when Theta_K held */
    public int thetaExit() {
        return thetaExit;
    }

    public boolean thetaHeld() {
        return thetaExit == NEVER;
    }

    /** @return tau_delta for each configured threshold, in the configured order; {@link #NEVER} if not hit */
    public int[] hitTimes() {
        return hitTimes.clone();
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** @return iterations actually simulated: K, or fewer when the run stopped absorbed */
    public int iterationsRun() {
        return iterationsRun;
    }

    /** @return the checkpoint iterations (first 0, last K) */
    public int[] checkpoints() {
        return checkpoints.clone();
    }

    /** @return dist at each checkpoint; after an absorption stop, the absorbed value */
    public double[] checkpointDist() {
        return checkpointDist.clone();
    }

    /** @return m at each checkpoint; after an absorption stop, the absorbed value */
    public double[] checkpointMargin() {
        return checkpointMargin.clone();
    }
}

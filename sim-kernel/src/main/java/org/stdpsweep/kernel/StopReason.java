package org.stdpsweep.kernel;

/** Why a run ended. */
public enum StopReason {
    /** All K iterations ran. */
    HORIZON,
    /** dist < 1e-250: absorbed at e_1; later checkpoints carry the absorbed values. */
    ABSORBED_AT_E1,
    /** p_1 < 1e-250: absorbed away from e_1. */
    ABSORBED_ELSEWHERE
}

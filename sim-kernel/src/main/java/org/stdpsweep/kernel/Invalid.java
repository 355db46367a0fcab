package org.stdpsweep.kernel;

/**
 * Builds the one kind of message every validation failure carries: the parameter, its value
 * and what is allowed. Shared by the kernel's value classes and, through
 * {@link #parameter(String, Object, String)}, by the sweep driver.
 */
public final class Invalid {
    private Invalid() {
    }

    /**
     * @param name    the parameter as users write it (e.g. {@code alpha}, {@code gamma[0][1]})
     * @param value   the offending value
     * @param allowed what is allowed, as a phrase (e.g. {@code "a finite number > 0"})
     * @return an exception whose message reads {@code alpha = -1.0 is invalid: allowed is a finite number > 0}
     */
    public static IllegalArgumentException parameter(String name, Object value, String allowed) {
        return new IllegalArgumentException(name + " = " + value + " is invalid: allowed is " + allowed);
    }

    static double finitePositive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw parameter(name, value, "a finite number > 0");
        }
        return value;
    }

    static double unitInterval(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw parameter(name, value, "a number in [0, 1]");
        }
        return value;
    }
}

package io.aiotedge.simulator;

/**
 * One simulated motor.
 *
 * @param deviceId its id on the wire
 * @param fault the condition it develops
 * @param onsetSeconds simulated time at which the fault starts
 * @param rampSeconds time from onset to full severity
 * @param severity the fault's full strength, 0-1
 * @param seed its noise seed: the same spec always gives the same frames
 */
public record MotorSpec(String deviceId, Fault fault, double onsetSeconds, double rampSeconds, double severity,
                        long seed) {

    /** Severity at simulated time t: 0 before onset, then a linear ramp to {@link #severity}. */
    public double severityAt(double t) {
        if (fault == Fault.HEALTHY || t < onsetSeconds) {
            return 0;
        }
        return rampSeconds <= 0 ? severity : severity * Math.min(1, (t - onsetSeconds) / rampSeconds);
    }

    /** The ground-truth label at simulated time t. */
    public String labelAt(double t) {
        return severityAt(t) > 0 ? fault.label() : Fault.HEALTHY.label();
    }
}

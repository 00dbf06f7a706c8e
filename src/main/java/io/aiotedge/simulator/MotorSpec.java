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
    /**
     * The severity from which the ground truth calls a motor faulty, as a maintenance log would
     * once the fault is noticeable. Below it the fault has begun but moves the features little
     * (over its first few hundredths, no more than their frame-to-frame noise). Labelling those
     * frames faulty made a young demo's holdout accuracy mostly measure them: they were ~3% of its
     * rows and nearly all of the first model's errors.
     */
    public static final double LABEL_SEVERITY = 0.1;

    /** Severity at simulated time t: 0 before onset, then a linear ramp to {@link #severity}. */
    public double severityAt(double t) {
        if (fault == Fault.HEALTHY || t < onsetSeconds) {
            return 0;
        }
        return rampSeconds <= 0 ? severity : severity * Math.min(1, (t - onsetSeconds) / rampSeconds);
    }

    /** The ground-truth label at simulated time t: the fault once it reaches {@link #LABEL_SEVERITY}. */
    public String labelAt(double t) {
        return severityAt(t) >= LABEL_SEVERITY ? fault.label() : Fault.HEALTHY.label();
    }
}

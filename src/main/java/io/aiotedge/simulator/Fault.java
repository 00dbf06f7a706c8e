package io.aiotedge.simulator;

import java.util.Locale;

/** A motor's condition; its label in telemetry is {@link #label()}. */
public enum Fault {
    HEALTHY, BEARING_WEAR, IMBALANCE, OVERHEATING;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Fault parse(String s) {
        for (Fault f : values()) {
            if (f.label().equals(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown fault '" + s + "'; one of healthy, bearing-wear, imbalance, overheating");
    }
}

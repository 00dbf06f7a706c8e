package io.aiotedge.bridge;

import io.aiotedge.config.BridgeConfig;

/**
 * Run by {@link SpoolKillIT} in its own JVM: appends records forever and prints each sequence
 * number once {@link Spool#append} has returned (= the bridge would acknowledge the device).
 */
public final class SpoolChild {
    private SpoolChild() {
    }

    public static void main(String[] args) {
        Spool s = Spool.open(java.nio.file.Path.of(args[0]), 1L << 30, BridgeConfig.Overflow.REJECT);
        for (int i = 0;; i++) {
            long seq = s.append(SpoolTest.record("motor-" + (i % 7), i));
            System.out.println("ACK " + seq + " " + i);
            System.out.flush();
        }
    }
}

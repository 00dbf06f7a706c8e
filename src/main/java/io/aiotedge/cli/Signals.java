package io.aiotedge.cli;

import io.aiotedge.core.SuppressForbidden;
import sun.misc.Signal;

/**
 * Takes over SIGTERM and SIGINT, so that the process exits 0 after a clean stop rather than 143/130
 * (a shutdown hook alone cannot change the exit status). {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}) is the only way to do that in Java 17. javac reports every use of it as
 * "internal proprietary API" with no switch to silence it, so pom.xml compiles this one class on its
 * own, without {@code -Werror} (the only class it exempts).
 */
@SuppressForbidden("sun.misc.Signal is the only way to take over SIGTERM/SIGINT")
final class Signals {
    private Signals() {
    }

    static void onTermOrInt(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }
}

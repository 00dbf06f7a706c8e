package io.aiotedge;

import io.aiotedge.cli.AiotEdgeCommand;

/** Entry point: {@code java -jar aiot-edge.jar <command>}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(AiotEdgeCommand.mainWithExitCode(args));
    }
}

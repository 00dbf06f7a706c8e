package io.aiotedge.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the JAR manifest ({@code dev} when run from classes). */
public final class VersionProvider implements IVersionProvider {
    public static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"aiot-edge " + version() + " (Java " + Runtime.version() + ")"};
    }
}

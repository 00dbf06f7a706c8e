package io.aiotedge.core;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Kafka static-membership ids ({@code group.instance.id}) that stay the same for the same host
 * and data directory, so a node restarted after a crash takes its partitions back at once instead
 * of waiting out the dead member's session timeout.
 */
public final class InstanceIds {
    private InstanceIds() {
    }

    public static String of(String prefix, Path dataDir) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((host + ":" + dataDir.toAbsolutePath().normalize())
                    .getBytes(StandardCharsets.UTF_8));
            return prefix + "-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

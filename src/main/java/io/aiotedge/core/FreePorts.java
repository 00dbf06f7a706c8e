package io.aiotedge.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Resolves "port 0" for servers that cannot report the port they bound (HiveMQ, Kafka): asks the
 * OS for a free port and releases it for the server to take. Another process could take it in
 * between; the server's start then fails loudly, it never binds the wrong port silently.
 *
 * <p>A server with several listeners resolves each one against the ports it already holds: a port
 * the OS just handed out and took back can come again on the next ask, and two listeners of one
 * server on one port stop its start (Kafka refuses it outright).
 */
public final class FreePorts {
    static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /** The configured port, or when it is 0 a free one that is none of {@code taken}. */
    public static int resolve(int configured, String bindAddress, int... taken) {
        Set<Integer> held = new HashSet<>();
        for (int port : taken) {
            held.add(port);
        }
        return resolve(configured, held, () -> askOs(bindAddress));
    }

    static int resolve(int configured, Set<Integer> taken, IntSupplier os) {
        if (configured != 0) {
            return configured;
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = os.getAsInt();
            if (!taken.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "The OS offered only ports already taken by this server " + taken + " in " + ATTEMPTS + " asks");
    }

    private static int askOs(String bindAddress) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + bindAddress, e);
        }
    }
}

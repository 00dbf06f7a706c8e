package io.aiotedge.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Resolves "port 0" for servers that cannot report the port they bound (HiveMQ): asks the OS for
 * a free port and releases it for the server to take. Another process could take it in between;
 * the server's start then fails loudly, it never binds the wrong port silently.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int resolve(int configured, String bindAddress) {
        if (configured != 0) {
            return configured;
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + bindAddress, e);
        }
    }
}

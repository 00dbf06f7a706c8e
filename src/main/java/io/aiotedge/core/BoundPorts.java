package io.aiotedge.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where components report the ports they actually bound (relevant with port 0), so the runtime
 * can log them and write {@code runtime.json}. Thread-safe.
 */
public final class BoundPorts {
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();

    public void put(String name, int port) {
        ports.put(Checks.notBlank(name, "Port name"), port);
    }

    public void remove(String name) {
        ports.remove(name);
    }

    /** The port bound under {@code name}, or -1. */
    public int get(String name) {
        return ports.getOrDefault(name, -1);
    }

    public Map<String, Integer> snapshot() {
        return new TreeMap<>(ports);
    }
}

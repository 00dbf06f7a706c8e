package io.aiotedge.core;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where components report the ports they actually bound (relevant with port 0) and, for the
 * sockets they listen on, how those are exposed ({@link Listener}: address, TLS, authentication),
 * so the runtime can log them and write {@code runtime.json}. Thread-safe.
 */
public final class BoundPorts {
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

    public void put(String name, int port) {
        ports.put(Checks.notBlank(name, "Port name"), port);
    }

    /** Reports a listening socket: its port under its name, and how it is exposed. */
    public void listening(Listener listener) {
        Checks.notNull(listener, "Listener");
        put(listener.name(), listener.port());
        listeners.put(listener.name(), listener);
    }

    public void remove(String name) {
        ports.remove(name);
        listeners.remove(name);
    }

    /** The port bound under {@code name}, or -1. */
    public int get(String name) {
        return ports.getOrDefault(name, -1);
    }

    public Map<String, Integer> snapshot() {
        return new TreeMap<>(ports);
    }

    /** The listeners reported so far, by name. */
    public List<Listener> listeners() {
        return List.copyOf(new TreeMap<>(listeners).values());
    }
}

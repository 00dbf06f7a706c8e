package io.aiotedge.support.fleet;

import io.aiotedge.support.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux network namespaces on one bridge: each node gets its own namespace, a veth pair whose
 * host end is on the bridge, and an address {@code 10.213.0.x/24}; the bridge itself has
 * {@code .1}, so this JVM reaches every node and no node reaches another through loopback (each
 * namespace has its own {@code lo}). Needs root and iproute2 ({@link #unavailableReason}).
 * {@link #close} kills every process left in the namespaces (a namespace lives on while a process
 * is in it), deletes them and the bridge; a shutdown hook does the same for leftovers by prefix.
 */
public final class NetworkNamespaces implements AutoCloseable {
    public static final String SUBNET = "10.213.0.";
    public static final String HOST_ADDRESS = SUBNET + "1";
    private final String prefix;
    private final String bridge;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Thread hook;

    private NetworkNamespaces(String prefix) {
        this.prefix = prefix;
        this.bridge = prefix + "br0";
        this.hook = new Thread(() -> removeAll(prefix, bridge), "netns-cleanup");
    }

    /** Why namespaces cannot be used here, or null when they can. */
    public static String unavailableReason() {
        if (!Proc.available("ip")) {
            return "no 'ip' command (install iproute2)";
        }
        try {
            Proc.Result r = Proc.run(10, List.of("id", "-u"));
            if (!r.stdout().trim().equals("0")) {
                return "not root (ip netns needs CAP_SYS_ADMIN)";
            }
            Proc.Result list = Proc.run(10, List.of("ip", "netns", "list"));
            return list.exitCode() == 0 ? null : "ip netns list failed: " + list.stderr();
        } catch (IOException | InterruptedException e) {
            return "cannot run ip: " + e;
        }
    }

    /** Makes the bridge (removing leftovers of an earlier run with the same prefix first). */
    public static NetworkNamespaces create(String prefix) throws IOException, InterruptedException {
        NetworkNamespaces n = new NetworkNamespaces(prefix);
        removeAll(prefix, n.bridge);
        Runtime.getRuntime().addShutdownHook(n.hook);
        n.ip("link", "add", n.bridge, "type", "bridge");
        n.ip("link", "set", n.bridge, "up");
        n.ip("addr", "add", HOST_ADDRESS + "/24", "dev", n.bridge);
        return n;
    }

    /** Adds namespace {@code prefix+name} with address {@code 10.213.0.<host>}; returns the address. */
    public String add(String name, int host) throws IOException, InterruptedException {
        String ns = namespace(name);
        String veth = "v" + prefix + name;
        String addr = SUBNET + host;
        ip("netns", "add", ns);
        ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("link", "set", veth, "master", bridge, "up");
        ip("-n", ns, "addr", "add", addr + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "link", "set", "lo", "up");
        addresses.put(name, addr);
        return addr;
    }

    public String address(String name) {
        String a = addresses.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no namespace " + name);
        }
        return a;
    }

    public String namespace(String name) {
        return prefix + name;
    }

    /** The command prefix that runs a program inside the node's namespace. */
    public List<String> exec(String name) {
        return List.of("ip", "netns", "exec", namespace(name));
    }

    /** Takes the node's link down (its host end of the veth pair) or up again. */
    public void link(String name, boolean up) throws IOException, InterruptedException {
        ip("link", "set", "v" + prefix + name, up ? "up" : "down");
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Proc.Result r = Proc.run(20, cmd);
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.stderr());
        }
    }

    /**
     * Kills the processes in every namespace with the prefix and waits until they are gone (a
     * namespace, and its veth pair, lives on while a process is inside), deletes those namespaces,
     * any veth host end with the prefix left behind, and the bridge.
     */
    static void removeAll(String prefix, String bridge) {
        try {
            for (String line : Proc.run(10, List.of("ip", "netns", "list")).stdout().split("\n")) {
                String ns = line.trim().split(" ")[0];
                if (!ns.startsWith(prefix)) {
                    continue;
                }
                List<String> pids = new ArrayList<>();
                for (String pid : Proc.run(10, List.of("ip", "netns", "pids", ns)).stdout().split("\\s+")) {
                    if (!pid.isBlank()) {
                        pids.add(pid.trim());
                        Proc.run(10, List.of("kill", "-9", pid.trim()));
                    }
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (pids.stream().anyMatch(p -> Files.exists(Path.of("/proc", p))) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Proc.run(10, List.of("ip", "netns", "del", ns));
            }
            for (String line : Proc.run(10, List.of("ip", "-o", "link", "show")).stdout().split("\n")) {
                String[] f = line.split(":\\s+");
                if (f.length > 1 && f[1].startsWith("v" + prefix)) {
                    Proc.run(10, List.of("ip", "link", "del", f[1].split("@")[0]));
                }
            }
            Proc.run(10, List.of("ip", "link", "del", bridge));
        } catch (IOException | InterruptedException | AssertionError e) {
            System.err.println("network namespace cleanup (" + prefix + "): " + e);
        }
    }

    @Override
    public void close() {
        removeAll(prefix, bridge);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }
}

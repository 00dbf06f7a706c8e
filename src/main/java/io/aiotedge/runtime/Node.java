package io.aiotedge.runtime;

import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.Component;
import io.aiotedge.core.EdgeRuntime;
import io.aiotedge.core.Health;
import io.aiotedge.core.Listener;
import io.aiotedge.core.NodeRole;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.core.StartupException;
import io.aiotedge.wire.Json;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its components for its roles, its metrics registry, and {@code runtime.json}
 * in the data directory (written once everything runs, removed on clean stop) so scripts that
 * started it on port 0 can find it. {@code start()}/{@code stop()} are idempotent.
 */
public final class Node {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    public static final String RUNTIME_FILE = "runtime.json";

    private final NodeConfig config;
    private final Set<NodeRole> roles;
    private final BoundPorts ports = new BoundPorts();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EdgeRuntime runtime;
    private JvmGcMetrics gcMetrics;
    private MemoryBudget memory;

    public Node(NodeConfig config, Set<NodeRole> roles) {
        this.config = config;
        this.roles = Set.copyOf(roles);
        List<Component> components = RoleWiring.components(config, this.roles, meters, ports, this::health);
        this.runtime = new EdgeRuntime(components);
    }

    private Map<String, Health> health() {
        return runtime.health();
    }

    /** The components, in start order. */
    public List<Component> components() {
        return runtime.components();
    }

    public synchronized void start() {
        Path dataDir = config.dataDir();
        try {
            PrivateFiles.directory(dataDir); // 0700: nothing below is reachable for other users, whatever the umask
            Files.deleteIfExists(dataDir.resolve(RUNTIME_FILE));
        } catch (IOException e) {
            throw new StartupException("Cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
        checkMemoryBudget();
        bindJvmMetrics();
        runtime.start();
        writeRuntimeFile();
        runtime.components().forEach(c -> log.info("Component {}: {}", c.name(), c.state()));
        log.info("{}", exposure(ports.listeners()));
        log.info("Node ready: roles {}, ports {}, data {}", roleIds(), ports.snapshot(), dataDir.toAbsolutePath());
    }

    public synchronized void stop() {
        try {
            runtime.stop();
        } finally {
            if (gcMetrics != null) {
                gcMetrics.close();
                gcMetrics = null;
            }
            try {
                Files.deleteIfExists(config.dataDir().resolve(RUNTIME_FILE));
            } catch (IOException e) {
                log.warn("Cannot remove {}: {}", RUNTIME_FILE, e.getMessage());
            }
        }
    }

    /** One line: the JVM's memory caps against the cgroup limit, a WARN when they exceed it. */
    private void checkMemoryBudget() {
        memory = MemoryBudget.ofThisJvm(RoleWiring.nativePoolBytes(config, roles), CgroupMemory.current());
        if (memory.exceedsLimit()) {
            log.warn("{}", memory.describe());
        } else {
            log.info("{}", memory.describe());
        }
    }

    /** The startup block: every socket this node listens on, one line each (docs/operations.md). */
    public static String exposure(List<Listener> listeners) {
        StringBuilder sb = new StringBuilder("Listening (").append(listeners.size()).append(listeners.size() == 1
                ? " socket" : " sockets").append("; exposed = not loopback):");
        listeners.forEach(l -> sb.append("\n  ").append(l.exposed() ? "exposed  " : "local    ").append(l.describe()));
        return sb.toString();
    }

    /** The sockets the running components listen on. */
    public List<Listener> listeners() {
        return ports.listeners();
    }

    public Map<String, Integer> ports() {
        return ports.snapshot();
    }

    public EdgeRuntime runtime() {
        return runtime;
    }

    private void bindJvmMetrics() {
        if (gcMetrics != null) {
            return;
        }
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(meters);
    }

    private Set<String> roleIds() {
        Set<String> ids = new TreeSet<>();
        roles.forEach(r -> ids.add(r.id()));
        return ids;
    }

    private void writeRuntimeFile() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("pid", ProcessHandle.current().pid());
        info.put("roles", roleIds());
        info.put("ports", ports.snapshot());
        info.put("listeners", ports.listeners());
        info.put("memory", memory.toJson());
        Path target = config.dataDir().resolve(RUNTIME_FILE);
        try {
            PrivateFiles.write(target, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(info));
        } catch (IOException e) {
            throw new StartupException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

package io.aiotedge.cli;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.core.NodeRole;
import io.aiotedge.runtime.Node;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a node, logs its effective config, and blocks until SIGTERM or SIGINT, then stops the
 * components in reverse order. Taking over both signals (instead of a shutdown hook alone) is
 * what lets the process exit 0 after a clean stop rather than 143/130.
 */
final class NodeLauncher {
    private static final Logger log = LoggerFactory.getLogger(NodeLauncher.class);
    static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

    private NodeLauncher() {
    }

    /** {@code onReady} gets the bound ports once the node runs. */
    static int runUntilSignalled(ConfigLoader.Loaded loaded, Set<NodeRole> roles,
            Consumer<Map<String, Integer>> onReady,
            PrintWriter out) throws InterruptedException {
        logEffective(loaded);
        Node node = new Node(loaded.config(), roles);
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermOrInt(stop::countDown);
        Thread hook = new Thread(node::stop, "shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        node.start();
        out.printf(Locale.ROOT, "aiot-edge running: roles %s, ports %s. Stop with Ctrl-C or SIGTERM.%n",
                roles.stream().map(NodeRole::id).toList(), node.ports());
        out.flush();
        onReady.accept(node.ports());
        stop.await();
        log.info("Stopping on signal");
        Thread watchdog = shutdownWatchdog(node);
        node.stop();
        watchdog.interrupt();
        Runtime.getRuntime().removeShutdownHook(hook);
        log.info("Stopped cleanly");
        return 0;
    }

    /**
     * The operational contract promises an exit within 30 s of SIGTERM; a component whose stop
     * hangs must not hold the process (and systemd's restart) hostage. Exits 1 after logging who
     * is still running.
     */
    private static Thread shutdownWatchdog(Node node) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(STOP_DEADLINE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            log.error("Clean stop took longer than {} s; halting. Component states: {}", STOP_DEADLINE.toSeconds(),
                    node.runtime().health());
            Runtime.getRuntime().halt(AiotEdgeCommand.EXIT_RUNTIME);
        }, "shutdown-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void logEffective(ConfigLoader.Loaded loaded) {
        StringBuilder sb = new StringBuilder("Effective configuration:");
        for (Map.Entry<String, String> e : loaded.effective().entrySet()) {
            sb.append("\n  ").append(e.getKey()).append(" = ").append(e.getValue());
        }
        log.info("{}", sb);
        for (String key : loaded.unknownKeys()) {
            log.warn("Unknown config key '{}' is ignored (misspelt?)", key);
        }
    }
}

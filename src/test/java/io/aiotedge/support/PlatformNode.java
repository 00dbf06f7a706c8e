package io.aiotedge.support;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.NodeConfig;
import io.aiotedge.core.KeyFiles;
import io.aiotedge.core.NodeRole;
import io.aiotedge.runtime.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An in-process node with the platform role on free ports in a given data dir. */
public final class PlatformNode implements AutoCloseable {
    private final Node node;
    private final Path dataDir;

    public PlatformNode(Path dataDir, String... sets) {
        this(Set.of(NodeRole.PLATFORM), dataDir, sets);
    }

    public PlatformNode(Set<NodeRole> roles, Path dataDir, String... sets) {
        this.dataDir = dataDir;
        List<String> all = new ArrayList<>(List.of("http.port=0", "mqtt.port=0", "kafka.port=0",
                "http.bindAddress=127.0.0.1", "mqtt.bindAddress=127.0.0.1", "dataDir=" + dataDir));
        all.addAll(List.of(sets));
        NodeConfig config = new ConfigLoader(k -> null).load(null, all).config();
        node = new Node(config, roles);
        node.start();
    }

    public int http() {
        return node.ports().get("http");
    }

    public int mqtt() {
        return node.ports().get("mqtt");
    }

    public Integer kafka() {
        return node.ports().get("kafka");
    }

    public String adminToken() throws IOException {
        return Files.readString(new KeyFiles(dataDir).adminToken()).trim();
    }

    public Api api() throws IOException {
        return new Api("http://127.0.0.1:" + http(), adminToken());
    }

    public Node node() {
        return node;
    }

    @Override
    public void close() {
        node.stop();
    }
}

package io.aiotedge.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import io.aiotedge.config.MqttConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.BoundPorts;
import io.aiotedge.core.ComponentState;
import io.aiotedge.core.FreePorts;
import io.aiotedge.core.Listener;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.PrivateFiles;
import io.aiotedge.core.auth.AuthFailureLimiter;
import io.aiotedge.core.auth.Authenticator;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.core.mqtt.ClientSessions;
import io.aiotedge.core.mqtt.MqttIngress;
import io.aiotedge.core.mqtt.MqttPublisher;
import io.aiotedge.core.mqtt.OutboundPublish;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HiveMQ CE broker. {@code start()} writes HiveMQ's config from {@link MqttConfig}
 * under {@code <dataDir>/broker}, installs our security extension and starts the listeners;
 * {@code stop()} stops it and releases its threads. HiveMQ keeps JVM-wide static state, so only
 * one broker component may run per JVM. Idempotent start/stop via {@link AbstractComponent}.
 * Also the node's in-process {@link MqttPublisher} while running.
 */
public final class BrokerComponent extends AbstractComponent implements MqttPublisher, ClientSessions {
    private static final Logger log = LoggerFactory.getLogger(BrokerComponent.class);
    private static final long START_TIMEOUT_S = 120;
    private static final long STOP_TIMEOUT_S = 30;

    private final MqttConfig config;
    private final Path dir;
    private final Authenticator authenticator;
    private final MeterRegistry meters;
    private final BoundPorts ports;
    private final MqttIngress ingress;
    private final ClientEvents events;
    private final ClientTracker tracker;
    private volatile EmbeddedHiveMQ hivemq;
    private ExecutorService authPool;
    private ScheduledExecutorService scheduler;

    /**
     * @param ingress receives client publishes before they are acknowledged (the bridge); null = none
     * @param events told about device connections and status publishes (the device registry)
     */
    public BrokerComponent(MqttConfig config, Path dataDir, Authenticator authenticator, MeterRegistry meters,
            BoundPorts ports, MqttIngress ingress, ClientEvents events) {
        super("broker");
        this.ingress = ingress;
        this.events = events;
        this.tracker = new ClientTracker(events);
        this.config = config;
        this.dir = dataDir.resolve("broker");
        this.authenticator = authenticator;
        this.meters = meters;
        this.ports = ports;
    }

    @Override
    protected void doStart() throws Exception {
        PrivateFiles.directory(dir);
        Path conf = PrivateFiles.directory(dir.resolve("conf"));
        Path data = PrivateFiles.directory(dir.resolve("data"));
        Path extensions = PrivateFiles.directory(dir.resolve("extensions"));
        int tcp = FreePorts.resolve(config.port(), config.bindAddress());
        Integer tls = config.tlsPort() == null ? null
                : FreePorts.resolve(config.tlsPort(), config.bindAddress(), tcp);
        Integer ws = config.websocketPort() == null ? null
                : FreePorts.resolve(config.websocketPort(), config.bindAddress(), tcp,
                        tls == null ? tcp : tls);
        PrivateFiles.write(conf.resolve("config.xml"),
                HiveMqConfigXml.render(config, tcp, tls, ws).getBytes(StandardCharsets.UTF_8));

        BrokerMetrics metrics = new BrokerMetrics(meters);
        authPool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.limits().authQueue()), NamedThreads.daemon("mqtt-auth"));
        scheduler = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("mqtt-ratelimit"));
        TopicAcl acl = new TopicAcl(config.acl());
        SessionOwners owners = new SessionOwners(config.persistence() == MqttConfig.Persistence.FILE
                ? dir.resolve("session-owners.properties") : null, BrokerComponent::sessionExists);
        AuthFailureLimiter failures = new AuthFailureLimiter(config.limits().authFailureBurst(),
                config.limits().authFailuresPerMinute(), 100_000, System::nanoTime);
        BrokerSecurity security = new BrokerSecurity(authenticator, acl, config.allowAnonymous(),
                config.anonymousRole(), metrics, authPool, owners, failures);
        BrokerExtension extension = new BrokerExtension(security, acl, config.limits().inboundMessagesPerSecond(),
                scheduler, metrics, ingress, tracker, events);

        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf).withDataFolder(data).withExtensionsFolder(extensions)
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("aiot-edge-security").withName("aiot-edge security").withVersion("1")
                        .withPriority(Integer.MAX_VALUE).withStartPriority(Integer.MAX_VALUE)
                        .withExtensionMain(extension).build())
                .withoutLoggingBootstrap()
                .build();
        HiveMqTuning.apply(data);
        startWithSecrets(HiveMqConfigXml.secrets(config, tls));
        metrics.bindHiveMq(hivemq.getMetricRegistry());
        ports.listening(listener("mqtt", tcp, false, ""));
        if (tls != null) {
            ports.listening(listener("mqttTls", tls, true, ""));
        }
        if (ws != null) {
            ports.listening(listener("mqttWs", ws, false, "WebSocket, path /mqtt"));
        }
        log.info("MQTT broker listening on {}:{}{}{} (persistence {}, anonymous {})", config.bindAddress(), tcp,
                tls == null ? "" : ", TLS " + tls, ws == null ? "" : ", WebSocket " + ws + "/mqtt",
                config.persistence().name().toLowerCase(java.util.Locale.ROOT),
                config.allowAnonymous() ? "allowed" : "refused");
    }

    /** Every MQTT listener: user passwords or device tokens as the password, anonymous as configured. */
    private Listener listener(String name, int port, boolean tls, String note) {
        return new Listener(name, config.bindAddress(), port, tls, Listener.NONE, Listener.PASSWORD,
                config.allowAnonymous(), note);
    }

    /**
     * Starts HiveMQ with the keystore passwords as system properties, which its config reader
     * substitutes into config.xml's placeholders, so the file on disk holds no password (issue 11,
     * finding 11). They exist only while HiveMQ reads its configuration: removed once it has started.
     */
    private void startWithSecrets(Map<String, String> secrets) throws Exception {
        secrets.forEach(System::setProperty);
        try {
            hivemq.start().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            secrets.keySet().forEach(System::clearProperty);
        }
    }

    /** Whether HiveMQ holds a live or stored session for the id; true when it cannot tell (refuse). */
    private static boolean sessionExists(String clientId) {
        try {
            return Services.clientService().getSession(clientId).get(5, TimeUnit.SECONDS).isPresent();
        } catch (Exception e) {
            log.warn("Cannot look up the MQTT session of {}: {}", clientId, e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
    }

    @Override
    public CompletableFuture<Void> publish(OutboundPublish message) {
        if (hivemq == null || state() != ComponentState.RUNNING) {
            return CompletableFuture.failedFuture(new IllegalStateException("the broker is not running"));
        }
        try {
            PublishBuilder b = Builders.publish().topic(message.topic()).qos(Qos.valueOf(message.qos()))
                    .retain(message.retain()).payload(ByteBuffer.wrap(message.payload()));
            message.userProperties().forEach(p -> b.userProperty(p.name(), p.value()));
            return Services.publishService().publish(b.build());
        } catch (RuntimeException e) { // invalid topic, payload too large, ...
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Integer> disconnectPrincipal(String principalName) {
        if (hivemq == null || state() != ComponentState.RUNNING) {
            return CompletableFuture.completedFuture(0);
        }
        List<CompletableFuture<Boolean>> drops = new ArrayList<>();
        for (String clientId : tracker.clientIdsOf(principalName)) {
            drops.add(Services.clientService().disconnectClient(clientId, false,
                    DisconnectReasonCode.NOT_AUTHORIZED, "credentials revoked"));
        }
        return CompletableFuture.allOf(drops.toArray(CompletableFuture[]::new))
                .thenApply(v -> (int) drops.stream().filter(f -> Boolean.TRUE.equals(f.join())).count());
    }

    @Override
    protected void doStop() throws Exception {
        ports.remove("mqtt");
        ports.remove("mqttTls");
        ports.remove("mqttWs");
        try {
            if (hivemq != null) {
                hivemq.stop().get(STOP_TIMEOUT_S, TimeUnit.SECONDS);
                hivemq.close();
            }
        } finally {
            hivemq = null;
            shutdown(authPool);
            shutdown(scheduler);
        }
    }

    private static void shutdown(ExecutorService pool) throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

package io.aiotedge.clients;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.aiotedge.core.ConfigException;
import io.aiotedge.core.StartupException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the HiveMQ MQTT 5 client of a role and connects it (clean start, automatic reconnect,
 * TLS when {@code <role>.tls} is on, trusting {@code tls.trustStore} or else the JVM's trust store). A broker that refuses the
 * credentials of the first connect is a configuration problem ({@link ConfigException}, exit 2,
 * naming the keys; the client stops retrying); a broker that does not answer within
 * {@value #CONNECT_SECONDS} s (by default) is a startup failure. Once connected, the client reconnects after
 * any loss, refusals included (a rotated password may be put right on the broker).
 */
public final class MqttConnector {
    static final int CONNECT_SECONDS = 30;

    private final MqttSettings settings;
    private final Duration firstConnectTimeout;

    public MqttConnector(MqttSettings settings) {
        this(settings, Duration.ofSeconds(CONNECT_SECONDS));
    }

    /** @param firstConnectTimeout how long the first connect may take before startup fails */
    public MqttConnector(MqttSettings settings, Duration firstConnectTimeout) {
        this.settings = settings;
        this.firstConnectTimeout = firstConnectTimeout;
    }

    public MqttSession connect(String clientId) {
        return connect(clientId, 0);
    }

    /**
     * @param receiveMaximum QoS 1/2 messages the broker may send before they are acknowledged
     *     (MQTT 5 receive maximum); 0 = the client's default
     */
    public MqttSession connect(String clientId, int receiveMaximum) {
        FirstConnect attempt = new FirstConnect();
        Mqtt5AsyncClient client = build(clientId, attempt);
        var connect = client.connectWith().cleanStart(true);
        if (receiveMaximum > 0) {
            connect = connect.restrictions().receiveMaximum(receiveMaximum).applyRestrictions();
        }
        try {
            connect.send().orTimeout(firstConnectTimeout.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            client.disconnect();
            Throwable refused = attempt.refused;
            throw failure(refused != null ? refused : e.getCause() == null ? e : e.getCause());
        } finally {
            attempt.over = true;
        }
        return new HiveMqSession(client);
    }

    private Mqtt5AsyncClient build(String clientId, FirstConnect attempt) {
        var b = Mqtt5Client.builder().identifier(clientId).serverHost(settings.host()).serverPort(settings.port())
                .automaticReconnectWithDefaultConfig().addDisconnectedListener(attempt);
        if (settings.tls()) {
            TrustManagerFactory trust = Trust.managers(settings.trust());
            b = trust == null ? b.sslWithDefaultConfig()
                    : b.sslConfig(MqttClientSslConfig.builder().trustManagerFactory(trust).build());
        }
        if (settings.authenticated()) {
            b = b.simpleAuth().username(settings.username())
                    .password(settings.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        return b.buildAsync();
    }

    private RuntimeException failure(Throwable cause) {
        String role = settings.role();
        String broker = settings.host() + ":" + settings.port();
        if (cause instanceof Mqtt5ConnAckException ack && refusesCredentials(ack)) {
            String key = settings.authenticated() ? role + ".password" : role + ".username";
            return new ConfigException(key + ": the broker at " + broker + " refused " + settings.who() + " ("
                    + ack.getMqttMessage().getReasonCode() + "); check " + role + ".username and " + role
                    + ".password");
        }
        if (untrusted(cause)) {
            String trust = settings.trust().custom() ? "tls.trustStore " + settings.trust().trustStore()
                    : "the JVM's trust store (set tls.trustStore)";
            return new ConfigException("tls.trustStore: " + role + " cannot verify the certificate of the broker at "
                    + broker + " with " + trust + ": " + rootMessage(cause));
        }
        return new StartupException(role + ": cannot connect to the broker at " + broker + " as " + settings.who()
                + " within " + firstConnectTimeout.toSeconds() + " s (check " + role
                + ".host, .port, .tls, .username, .password"
                + (settings.tls() ? ", tls.trustStore" : "") + "): "
                + cause, cause);
    }

    private static boolean refusesCredentials(Mqtt5ConnAckException ack) {
        Mqtt5ConnAckReasonCode code = ack.getMqttMessage().getReasonCode();
        return code == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD
                || code == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED;
    }

    /** Whether a TLS handshake failed (the broker's certificate is not trusted or not for this host). */
    static boolean untrusted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /**
     * Stops the automatic reconnect when the first connect is refused for its credentials or its
     * TLS trust: retrying cannot put the config right.
     */
    private static final class FirstConnect implements MqttClientDisconnectedListener {
        volatile boolean over;
        volatile Throwable refused;

        @Override
        public void onDisconnected(MqttClientDisconnectedContext ctx) {
            if (over) {
                return;
            }
            if (ctx.getCause() instanceof Mqtt5ConnAckException ack && refusesCredentials(ack)
                    || untrusted(ctx.getCause())) {
                refused = ctx.getCause();
                ctx.getReconnector().reconnect(false);
            }
        }
    }
}

package io.aiotedge.broker;

import io.aiotedge.config.ConfigReader;
import io.aiotedge.config.MqttConfig;
import io.aiotedge.config.MqttLimits;
import java.util.Map;

/**
 * Renders HiveMQ's {@code config.xml} from our typed config and the resolved ports. Stateless.
 * The keystore passwords are not written into the file: it names them as placeholders that
 * HiveMQ resolves while it reads the file at start ({@code com.hivemq.util.EnvVarUtil} looks the
 * name up as a system property, then as an environment variable); {@link #secrets} gives the
 * values to set for the start.
 */
final class HiveMqConfigXml {
    static final String KEYSTORE_PASSWORD = "aiot.edge.mqtt.tls.keystorePassword";
    static final String PRIVATE_KEY_PASSWORD = "aiot.edge.mqtt.tls.privateKeyPassword";

    private HiveMqConfigXml() {
    }

    /**
     * The placeholder values: XML-escaped, since HiveMQ substitutes them into the text before
     * it parses the XML. Empty when no TLS listener is configured.
     */
    static Map<String, String> secrets(MqttConfig c, Integer tlsPort) {
        if (tlsPort == null) {
            return Map.of();
        }
        return Map.of(KEYSTORE_PASSWORD, escape(c.tls().keystorePassword()),
                PRIVATE_KEY_PASSWORD, escape(c.tls().privateKeyPassword()));
    }

    /** Ports already resolved (no 0); a null TLS or WebSocket port leaves that listener out. */
    static String render(MqttConfig c, int tcpPort, Integer tlsPort, Integer wsPort) {
        MqttLimits l = c.limits();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n");
        x.append("    <tcp-listener>").append(el("port", tcpPort)).append(el("bind-address", c.bindAddress()))
                .append(el("name", "mqtt")).append("</tcp-listener>\n");
        if (tlsPort != null) {
            MqttConfig.TlsConfig t = c.tls();
            x.append("    <tls-tcp-listener>").append(el("port", tlsPort)).append(el("bind-address", c.bindAddress()))
                    .append(el("name", "mqtt-tls")).append("<tls><keystore>")
                    .append(el("path", t.keystorePath().toAbsolutePath()))
                    .append("<password>${").append(KEYSTORE_PASSWORD).append("}</password>")
                    .append("<private-key-password>${").append(PRIVATE_KEY_PASSWORD).append("}</private-key-password>")
                    .append("</keystore></tls></tls-tcp-listener>\n");
        }
        if (wsPort != null) {
            x.append("    <websocket-listener>").append(el("port", wsPort)).append(el("bind-address", c.bindAddress()))
                    .append(el("path", "/mqtt")).append(el("name", "mqtt-ws"))
                    .append("<subprotocols><subprotocol>mqttv3.1</subprotocol><subprotocol>mqtt</subprotocol>")
                    .append("</subprotocols>").append(el("allow-extensions", true)).append("</websocket-listener>\n");
        }
        x.append("  </listeners>\n  <mqtt>\n")
                .append("    <queued-messages>").append(el("max-queue-size", l.maxQueuedMessages()))
                .append(el("strategy", ConfigReader.kebab(l.queueOverflow()))).append("</queued-messages>\n")
                .append("    <message-expiry>").append(el("max-interval", l.messageExpirySeconds()))
                .append("</message-expiry>\n")
                .append("    <session-expiry>").append(el("max-interval", l.sessionExpirySeconds()))
                .append("</session-expiry>\n")
                .append("    <packets>").append(el("max-packet-size", l.maxPacketSize())).append("</packets>\n")
                .append("    <receive-maximum>").append(el("server-receive-maximum", l.serverReceiveMaximum()))
                .append("</receive-maximum>\n")
                .append("  </mqtt>\n  <restrictions>")
                .append(el("max-connections", l.maxConnections()))
                .append(el("incoming-bandwidth-throttling", l.inboundBytesPerSecond()))
                .append(el("no-connect-idle-timeout", l.connectTimeoutSeconds() * 1000))
                .append("</restrictions>\n")
                .append("  <security><utf8-validation><enabled>true</enabled></utf8-validation>")
                .append("<allow-empty-client-id><enabled>true</enabled></allow-empty-client-id></security>\n")
                .append("  <persistence>")
                .append(el("mode", c.persistence() == MqttConfig.Persistence.FILE ? "file" : "in-memory"))
                .append("</persistence>\n")
                .append("  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n")
                .append("</hivemq>\n");
        return x.toString();
    }

    private static String el(String name, Object value) {
        return "<" + name + ">" + escape(String.valueOf(value)) + "</" + name + ">";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}

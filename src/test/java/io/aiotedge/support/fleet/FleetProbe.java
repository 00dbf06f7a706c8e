package io.aiotedge.support.fleet;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A hostile client, run inside a node's namespace by FleetIT: tries one thing and prints
 * {@code REFUSED <why>} (exit 0) or {@code ACCEPTED} (exit 1).
 * <ul>
 * <li>{@code kafka BOOTSTRAP PROTOCOL [USER PASSWORD]}: produce one record to aiot.telemetry;
 * PROTOCOL {@code SSL}/{@code PLAINTEXT} (no SASL) or {@code SASL_SSL} with a SCRAM user;</li>
 * <li>{@code mqtt HOST PORT tls|plain [USER PASSWORD]}: an MQTT 5 connect.</li>
 * </ul>
 * The trust store comes from the {@code javax.net.ssl.*} properties.
 */
public final class FleetProbe {
    private FleetProbe() {
    }

    public static void main(String[] args) {
        String result;
        try {
            result = args[0].equals("kafka") ? kafka(args) : mqtt(args);
        } catch (Exception e) {
            Throwable c = e;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            result = "REFUSED " + c.getClass().getSimpleName() + ": " + c.getMessage();
        }
        System.out.println(result.replace('\n', ' '));
        System.out.flush();
        System.exit(result.startsWith("REFUSED") ? 0 : 1);
    }

    private static String kafka(String[] args) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", args[1]);
        p.put("security.protocol", args[2]);
        p.put("ssl.truststore.location", System.getProperty("javax.net.ssl.trustStore"));
        p.put("ssl.truststore.password", System.getProperty("javax.net.ssl.trustStorePassword"));
        p.put("ssl.truststore.type", "PKCS12");
        if (args.length > 3) {
            p.put("sasl.mechanism", "SCRAM-SHA-512");
            p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + args[3] + "\" password=\"" + args[4] + "\";");
        }
        p.put("max.block.ms", "6000");
        p.put("delivery.timeout.ms", "6000");
        p.put("request.timeout.ms", "5000");
        p.put("acks", "all");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("aiot.telemetry", "motor-000".getBytes(StandardCharsets.UTF_8),
                    "{}".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
        return "ACCEPTED";
    }

    private static String mqtt(String[] args) throws Exception {
        Mqtt5ClientBuilder b = Mqtt5Client.builder().identifier("probe-" + System.nanoTime()).serverHost(args[1])
                .serverPort(Integer.parseInt(args[2]));
        if (args[3].equals("tls")) {
            b = b.sslWithDefaultConfig();
        }
        if (args.length > 4) {
            b = b.simpleAuth().username(args[4]).password(args[5].getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        Mqtt5AsyncClient c = b.buildAsync();
        var ack = c.connect().orTimeout(8, TimeUnit.SECONDS).get();
        c.disconnect();
        return "ACCEPTED " + ack.getReasonCode();
    }
}

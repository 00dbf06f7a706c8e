package io.aiotedge.support.fleet;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Hostile clients, run inside a node's namespace by FleetIT: one JVM tries every probe named on
 * its command line at once ({@code NAME KIND ARGS... [-- NAME KIND ARGS...]}), each on its own
 * thread, and prints one line per probe, {@code NAME REFUSED <why>} or {@code NAME ACCEPTED ...}.
 * One JVM, not one per probe: eight JVMs starting beside the six nodes of the fleet on two cores
 * took longer than the probes' own timeouts.
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

    public static void main(String[] args) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<String> probe = new ArrayList<>();
        for (int i = 0; i <= args.length; i++) {
            if (i < args.length && !args[i].equals("--")) {
                probe.add(args[i]);
                continue;
            }
            String[] one = probe.subList(1, probe.size()).toArray(String[]::new);
            String name = probe.get(0);
            Thread t = new Thread(() -> report(name, one), "probe-" + name);
            t.start();
            threads.add(t);
            probe.clear();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.flush();
        System.exit(0);
    }

    private static void report(String name, String[] args) {
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
        synchronized (System.out) {
            System.out.println(name + " " + result.replace('\n', ' '));
        }
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
        // without SASL a timeout is the refusal (Kafka sends no clean error), so those probes wait 6 s;
        // a SCRAM user must get its precise answer, which a loaded machine may take long to give
        int wait = args.length > 3 ? 30_000 : 6_000;
        p.put("max.block.ms", Integer.toString(wait));
        p.put("delivery.timeout.ms", Integer.toString(wait));
        p.put("request.timeout.ms", Integer.toString(wait - 1_000)); // at most delivery.timeout.ms - linger.ms
        p.put("acks", "all");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("aiot.telemetry", "motor-000".getBytes(StandardCharsets.UTF_8),
                    "{}".getBytes(StandardCharsets.UTF_8))).get(40, TimeUnit.SECONDS);
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
        var ack = c.connect().orTimeout(30, TimeUnit.SECONDS).get();
        c.disconnect();
        return "ACCEPTED " + ack.getReasonCode();
    }
}

package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.Proc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker as Debian's mosquitto_pub/mosquitto_sub see it (installed by .ci/run). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoClientsIT {
    @TempDir
    static Path dir;
    static BrokerFixture broker;

    @BeforeAll
    static void start() {
        assumeTrue(Proc.available("mosquitto_pub"), "mosquitto-clients not installed (.ci/run installs it)");
        broker = new BrokerFixture(dir).start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private List<String> cmd(String tool, String user, String password, String version, String... rest) {
        List<String> c = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(broker.port()),
                "-V", version, "-q", "1"));
        if (user != null) {
            // a device may use only its own client ids (docs/mqtt.md), not mosquitto's random one
            c.addAll(List.of("-u", user, "-P", password, "-i", user + "/" + tool));
        }
        c.addAll(List.of(rest));
        return c;
    }

    @Test
    void mosquittoPub_anonymous_isRefused() throws Exception {
        Proc.Result r = Proc.run(30,
                cmd("mosquitto_pub", null, null, "mqttv311", "-t", "aiot/v1/things/x/telemetry", "-m", "1"));
        assertNotEquals(0, r.exitCode());
        assertTrue((r.stderr() + r.stdout()).toLowerCase(Locale.ROOT).contains("not authori"), r.stderr());
    }

    @Test
    void mosquittoPub_wrongPassword_isRefused() throws Exception {
        Proc.Result r = Proc.run(30,
                cmd("mosquitto_pub", "motor-A", "nope", "mqttv5", "-t", "aiot/v1/things/motor-A/telemetry", "-m", "1"));
        assertNotEquals(0, r.exitCode());
    }

    @Test
    void mosquittoSub_receivesWhatMosquittoPubSent() throws Exception {
        CompletableFuture<Proc.Result> sub = CompletableFuture.supplyAsync(() -> {
            try {
                return Proc.run(40, cmd("mosquitto_sub", "gw", BrokerFixture.password("gw"), "mqttv5",
                        "-t", "aiot/v1/things/motor-A/telemetry", "-C", "1", "-W", "30"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // publish until the subscriber (whose subscription time we cannot observe) has its message
        String payload = "{\"seq\":1}";
        for (int i = 0; i < 50 && !sub.isDone(); i++) {
            Proc.Result pub = Proc.run(30,
                    cmd("mosquitto_pub", "motor-A", BrokerFixture.password("motor-A"), "mqttv311",
                            "-t", "aiot/v1/things/motor-A/telemetry", "-m", payload));
            assertEquals(0, pub.exitCode(), pub.stderr());
            try {
                sub.get(300, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet subscribed; publish again
            }
        }
        Proc.Result r = sub.get(40, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(payload, r.stdout().trim());
    }

    @Test
    void mosquittoSub_deviceOnOtherDevicesTopic_isDenied() throws Exception {
        Proc.Result r = Proc.run(30, cmd("mosquitto_sub", "motor-A", BrokerFixture.password("motor-A"), "mqttv5",
                "-t", "aiot/v1/things/motor-B/control", "-C", "1", "-W", "5"));
        // mosquitto_sub reports the SUBACK failure in words (its exit code stays 0) and receives nothing
        assertTrue((r.stderr() + r.stdout()).contains("All subscription requests were denied"), r.stderr());
        assertEquals("", r.stdout().replace("All subscription requests were denied.", "").trim());
    }
}

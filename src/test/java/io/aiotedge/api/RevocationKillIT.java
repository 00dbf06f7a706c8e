package io.aiotedge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.aiotedge.support.Api;
import io.aiotedge.support.Mqtt;
import io.aiotedge.support.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 4: a revocation the API answered 200 survives a SIGKILL of the node right
 * after the answer. Before durable commits the restarted node had lost it and let the device in.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RevocationKillIT {
    static final String ID = "rev-1";

    @TempDir
    Path dir;

    @Test
    void revokeAnswered200ThenSigkill_restartRefusesTheDevice() throws Exception {
        Path data = dir.resolve("node");
        String[] args = {"run", "--role", "platform", "--data-dir", data.toString(), "--set", "mqtt.port=0",
                "--set", "http.port=0", "--set", "kafka.mode=off", "--set", "mqtt.bindAddress=127.0.0.1",
                "--set", "http.bindAddress=127.0.0.1"};
        String secret;
        try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx384m"), args)) {
            node.awaitRuntime(Duration.ofSeconds(120));
            Api api = api(node, data);
            String token = api.postJson("/api/v1/devices", api.admin(), "{\"id\":\"" + ID + "\"}").json()
                    .get("token").asText();
            secret = token.substring(token.lastIndexOf('.') + 1);
            Mqtt5BlockingClient before = Mqtt.v5(node.port("mqtt"), ID);
            connect(before, secret);
            before.disconnect();
            Api.Res revoked = api.postJson("/api/v1/devices/" + ID + "/revoke", api.admin(), "");
            assertEquals(200, revoked.status(), revoked.text());
            assertEquals(0, new ProcessBuilder("kill", "-9", String.valueOf(node.pid())).start().waitFor());
        }
        try (NodeProcess again = NodeProcess.start(data, List.of("-Xmx384m"), args)) {
            again.awaitRuntime(Duration.ofSeconds(120));
            Api api = api(again, data);
            assertEquals("REVOKED", api.get("/api/v1/devices/" + ID, api.admin()).json().get("state").asText());
            Mqtt5BlockingClient after = Mqtt.v5(again.port("mqtt"), ID);
            Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> connect(after, secret));
            Mqtt5ConnAckReasonCode code = e.getMqttMessage().getReasonCode();
            assertTrue(Set.of(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD)
                    .contains(code), "refused, not " + code);
            assertEquals(0, again.terminate(Duration.ofSeconds(30)));
        }
    }

    private static void connect(Mqtt5BlockingClient c, String secret) {
        c.connectWith().simpleAuth().username(ID).password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send();
    }

    private static Api api(NodeProcess node, Path data) throws Exception {
        return new Api("http://127.0.0.1:" + node.port("http"),
                Files.readString(data.resolve("keys/admin-token")).trim());
    }
}

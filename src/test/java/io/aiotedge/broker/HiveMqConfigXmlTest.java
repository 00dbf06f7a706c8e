package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.config.MqttConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, finding 11: the rendered config.xml names the keystore passwords, never holds them. */
class HiveMqConfigXmlTest {
    @TempDir
    Path dir;

    private MqttConfig tls(String password) throws Exception {
        Path ks = Files.writeString(dir.resolve("ks.p12"), "x");
        return new ConfigLoader(k -> null).load(null, List.of("mqtt.tlsPort=8883", "mqtt.tls.keystorePath=" + ks,
                "mqtt.tls.keystorePassword=" + password, "mqtt.tls.privateKeyPassword=" + password + "-key"))
                .config().mqtt();
    }

    @Test
    void render_withTls_writesPlaceholdersNotPasswords() throws Exception {
        String xml = HiveMqConfigXml.render(tls("pw-1234"), 1883, 8883, null);
        assertFalse(xml.contains("pw-1234"), xml);
        assertTrue(xml.contains("<password>${" + HiveMqConfigXml.KEYSTORE_PASSWORD + "}</password>"), xml);
        assertTrue(xml.contains("<private-key-password>${" + HiveMqConfigXml.PRIVATE_KEY_PASSWORD
                + "}</private-key-password>"), xml);
    }

    @Test
    void secrets_withXmlSpecialCharacters_areEscapedForTheSubstitution() throws Exception {
        Map<String, String> s = HiveMqConfigXml.secrets(tls("a&b<c"), 8883);
        assertEquals("a&amp;b&lt;c", s.get(HiveMqConfigXml.KEYSTORE_PASSWORD));
        assertEquals("a&amp;b&lt;c-key", s.get(HiveMqConfigXml.PRIVATE_KEY_PASSWORD));
    }

    @Test
    void secrets_withoutTlsListener_areEmpty() throws Exception {
        assertEquals(Map.of(), HiveMqConfigXml.secrets(tls("pw"), null));
    }
}

package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BrokerSecurityTest {

    @Test
    void passwordBytes_nonAsciiUtf8_decodeToExactlyTheirCharacters() {
        String pw = "pässwörd-€";
        char[] decoded = BrokerSecurity
                .chars(java.nio.ByteBuffer.wrap(pw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(pw, new String(decoded));
    }

    @Test
    void sharedSubscriptionPrefix_isCheckedWithoutTheGroup() {
        assertEquals("aiot/v1/things/+/raw", BrokerSecurity.withoutSharePrefix("$share/gw/aiot/v1/things/+/raw"));
        assertEquals("a/b", BrokerSecurity.withoutSharePrefix("a/b"));
    }
}

package io.aiotedge.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiotedge.tflite.ModelFormatException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void includes_sameSaltSameAnswer_onEveryInstance() {
        Targeting a = new Targeting(Set.of(), 30, Set.of(), "ro-1");
        Targeting b = new Targeting(Set.of(), 30, Set.of(), "ro-1");
        for (int i = 0; i < 1000; i++) {
            String id = String.format(java.util.Locale.ROOT, "motor-%04d", i);
            assertEquals(a.includes(id, "n1"), b.includes(id, "n2"), id);
        }
    }

    @Test
    void includes_percentOf10kIds_withinTwoPercent_andDiffersBetweenRollouts() {
        Targeting a = new Targeting(Set.of(), 25, Set.of(), "ro-1");
        Targeting b = new Targeting(Set.of(), 25, Set.of(), "ro-2");
        int inA = 0;
        int differ = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = "motor-" + i;
            inA += a.includes(id, "n") ? 1 : 0;
            differ += a.includes(id, "n") != b.includes(id, "n") ? 1 : 0;
        }
        assertTrue(Math.abs(inA - 2500) <= 200, "share " + inA + " of 10000");
        assertTrue(differ > 1000, "another salt picks other devices: " + differ);
    }

    @Test
    void includes_listedDeviceOrNode_takesPrecedence_zeroPercentIncludesNoOneElse() {
        Targeting t = new Targeting(Set.of("motor-001"), 0, Set.of("coral-2"), "ro-1");
        assertTrue(t.includes("motor-001", "coral-1"));
        assertFalse(t.includes("motor-002", "coral-1"));
        assertTrue(t.includes("motor-002", "coral-2"), "every device on a listed node");
        assertTrue(new Targeting(Set.of(), 100, Set.of(), "x").includes("anything", "n"));
    }

    @Test
    void bucket_isTheFirstFourBytesOfSha256ModTenThousand() throws Exception {
        byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                .digest("ro-1\nmotor-001".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long u32 = java.nio.ByteBuffer.wrap(h, 0, 4).getInt() & 0xffffffffL;
        assertEquals((int) (u32 % 10_000), Targeting.bucket("ro-1", "motor-001"));
        assertNotEquals(Targeting.bucket("ro-1", "motor-001"), Targeting.bucket("ro-2", "motor-001"));
    }

    @Test
    void parse_badPercentOrIds_refusedWithTheField() {
        assertTrue(assertThrows(ModelFormatException.class,
                () -> Targeting.parse(JSON.readTree("{\"percent\": 101}"), "s")).getMessage().contains("percent"));
        assertTrue(assertThrows(ModelFormatException.class,
                () -> Targeting.parse(JSON.readTree("{\"devices\": [1]}"), "s")).getMessage().contains("devices"));
        assertTrue(assertThrows(ModelFormatException.class,
                () -> Targeting.parse(JSON.readTree("{\"nodes\": \"n\"}"), "s")).getMessage().contains("nodes"));
    }
}

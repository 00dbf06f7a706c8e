package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ApiPathsTest {

    @Test
    void plainNames_passUnchanged() {
        assertEquals("/api/v1/models/motor-condition_2.x~/versions/3/download",
                ApiPaths.of("models", "motor-condition_2.x~", "versions", 3, "download"));
    }

    @Test
    void separatorsAndQueryCharacters_stayInsideTheirSegment() {
        assertEquals("/api/v1/devices/cli-pump%2Fx%2F..%3Fa%3D1%23f/revoke",
                ApiPaths.of("devices", "cli-pump/x/..?a=1#f", "revoke"));
    }

    @Test
    void spaceIsPercent20_plusIsEncoded_unicodeIsUtf8() {
        assertEquals("a%20b%2Bc%C3%BC", ApiPaths.segment("a b+cü"));
    }

    @Test
    void dotSegmentsAndEmpty_areNoNames() {
        assertEquals("'..' is not a name", assertThrows(ApiClient.ApiError.class,
                () -> ApiPaths.of("models", "..", "versions")).getMessage());
        assertThrows(ApiClient.ApiError.class, () -> ApiPaths.segment("."));
        assertThrows(ApiClient.ApiError.class, () -> ApiPaths.segment(""));
    }

    @Test
    void queryValues_areFormEncoded() {
        assertEquals("champion%26x%3D1", ApiPaths.query("champion&x=1"));
    }
}

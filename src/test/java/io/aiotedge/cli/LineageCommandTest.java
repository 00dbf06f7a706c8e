package io.aiotedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiotedge.wire.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code models lineage verify}: what it prints and its exit code for each answer of the platform. */
class LineageCommandTest {
    private static final Json JSON = Json.mapper();

    private static String run(String answer, int exit) throws Exception {
        StringWriter s = new StringWriter();
        assertEquals(exit, LineageCommand.print(new PrintWriter(s, true), "motor v3", JSON.readTree(answer)));
        return s.toString().lines().findFirst().orElse("");
    }

    @Test
    void match_exits0_aMismatch3_andCannotTell4() throws Exception {
        assertEquals("MATCH    motor v3: same", run("{\"match\": true, \"reason\": \"same\"}", 0));
        assertEquals("MISMATCH motor v3: changed", run("{\"match\": false, \"reason\": \"changed\", "
                + "\"recorded\": {\"sha256\": \"aa\"}, \"now\": {\"sha256\": \"bb\"}}", LineageCommand.MISMATCH));
        assertEquals("UNKNOWN  motor v3: retention", run("{\"match\": null, \"reason\": \"retention\"}",
                LineageCommand.CANNOT_TELL));
        assertEquals(3, LineageCommand.MISMATCH);
        assertEquals(4, LineageCommand.CANNOT_TELL);
    }
}

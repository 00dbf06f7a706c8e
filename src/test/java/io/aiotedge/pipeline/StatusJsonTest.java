package io.aiotedge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statuses are enums in the code and the same lower-case words on the wire as before. */
class StatusJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stageRecord_json_spellsTheStatusInLowerCase_andReadsBack() throws Exception {
        StageRecord r = new StageRecord("drift");
        String pending = JSON.writeValueAsString(List.of(r));
        assertEquals("[{\"name\":\"drift\",\"status\":\"pending\",\"startedAt\":null,\"finishedAt\":null,"
                + "\"metrics\":{},\"log\":[]}]", pending);
        r.status = StageStatus.SKIPPED;
        List<StageRecord> back = JSON.readValue(JSON.writeValueAsString(List.of(r)),
                new TypeReference<List<StageRecord>>() {});
        assertEquals(StageStatus.SKIPPED, back.get(0).status);
        assertEquals("skipped", r.status.toString(), "what the CLI prints");
    }

    @Test
    void runStatus_wire_isTheWordInTheDatabaseAndTheApi() throws Exception {
        for (RunStatus s : RunStatus.values()) {
            assertEquals(s, RunStatus.fromWire(s.wire()));
            assertEquals("\"" + s.wire() + "\"", JSON.writeValueAsString(s));
        }
        assertEquals(List.of("queued", "running", "succeeded", "skipped", "failed"),
                List.of(RunStatus.values()).stream().map(RunStatus::wire).toList());
        assertEquals(List.of("pending", "running", "succeeded", "skipped", "failed"),
                List.of(StageStatus.values()).stream().map(StageStatus::wire).toList());
        assertThrows(IllegalArgumentException.class, () -> RunStatus.fromWire("SUCCEEDED"));
    }
}

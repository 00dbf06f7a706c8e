package io.aiotedge.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.Rejection;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvUploadTest {
    static List<FeatureRow> parse(String csv) throws Exception {
        return CsvUpload.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "f00d");
    }

    @Test
    void theReferenceIngestsCsv_becomesRowsWithStableDedupeKeys() throws Exception {
        List<FeatureRow> rows = parse("deviceID,timeStamp,current,temperature,vibration,sound\n"
                + "14333616,1669000000000,1.2,40.0,0.3,55.0\n\n14333616,1669000000100,1.3,40.1,0.4,56.0\n");
        assertEquals(2, rows.size());
        assertEquals("upload:f00d:2", rows.get(0).dedupeKey());
        assertEquals("upload:f00d:4", rows.get(1).dedupeKey());
        assertEquals(List.of("current", "temperature", "vibration", "sound"), rows.get(0).names());
        assertEquals(40.1, rows.get(1).values()[1]);
        assertEquals(1669000000100L, rows.get(1).timestamp());
    }

    @Test
    void anyBadLine_refusesTheWholeFile_namingLineAndColumn() {
        Rejection e = assertThrows(Rejection.class,
                () -> parse("deviceID,timeStamp,current,temperature,vibration,sound\n"
                        + "a,1,1,1,1,1\nb,2,NaN,1,1,1\nc,3,1,1\n"));
        assertTrue(e.getMessage().contains("line 3: current is not a finite number"), e.getMessage());
        assertTrue(e.getMessage().contains("line 4: 4 columns"), e.getMessage());
        assertEquals("file", e.field());
    }

    @Test
    void aMissingColumnOrEmptyFile_isNamed() {
        assertTrue(assertThrows(Rejection.class, () -> parse("deviceID,timeStamp,current\n")).getMessage()
                .contains("column temperature is missing"));
        assertThrows(Rejection.class, () -> parse(""));
    }
}

package io.aiotedge.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline restore refuses what could write outside the new data dir or over a node's state. */
class RestoreTest {
    private static final String MANIFEST = "{\"format\":\"aiot-edge-backup-v1\",\"database\":\"h2\"}";

    @TempDir
    Path tmp;

    private Path zip(String... namesThenContents) throws IOException {
        Path z = tmp.resolve("b" + Files.list(tmp).count() + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
            for (int i = 0; i < namesThenContents.length; i += 2) {
                out.putNextEntry(new ZipEntry(namesThenContents[i]));
                out.write(namesThenContents[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return z;
    }

    @Test
    void into_aValidBackup_writesOwnerOnlyFiles() throws Exception {
        Path z = zip("backup.json", MANIFEST, "keys/admin-token", "t0ken", "models/blobs/ab/abcd", "bytes",
                "platform/aiot.mv.db", "db");
        Path target = tmp.resolve("new");
        assertEquals(new Restore.Result(3, "h2"), Restore.into(z, target));
        assertEquals("t0ken", Files.readString(target.resolve("keys/admin-token")));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("keys/admin-token"))));
        assertEquals("rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("models/blobs/ab"))));
        assertFalse(Files.exists(target.resolve("backup.json")));
    }

    @Test
    void into_entryWithDotDot_isRefusedAndNothingIsWritten() throws Exception {
        Path z = zip("backup.json", MANIFEST, "keys/ok", "x", "keys/../../evil", "x");
        Path target = tmp.resolve("new");
        Restore.Refused e = assertThrows(Restore.Refused.class, () -> Restore.into(z, target));
        assertEquals("--from: refused entry 'keys/../../evil': a '..' segment; nothing was restored", e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(tmp.resolve("evil")));
    }

    @Test
    void into_absoluteEntry_isRefused() throws Exception {
        Path z = zip("backup.json", MANIFEST, "/tmp/aiot-evil", "x");
        Restore.Refused e = assertThrows(Restore.Refused.class, () -> Restore.into(z, tmp.resolve("new")));
        assertEquals("--from: refused entry '/tmp/aiot-evil': an absolute or non-portable path; nothing was restored",
                e.getMessage());
        assertFalse(Files.exists(Path.of("/tmp/aiot-evil")));
    }

    @Test
    void into_entryOutsideTheKnownAreas_isRefused() throws Exception {
        Path z = zip("backup.json", MANIFEST, "broker/x", "x");
        Restore.Refused e = assertThrows(Restore.Refused.class, () -> Restore.into(z, tmp.resolve("new")));
        assertTrue(e.getMessage().contains("outside platform/, keys/ and models/"), e.getMessage());
    }

    @Test
    void into_nonEmptyTarget_isRefused() throws Exception {
        Path z = zip("backup.json", MANIFEST, "keys/admin-token", "new");
        Path target = Files.createDirectories(tmp.resolve("node"));
        Files.writeString(target.resolve("runtime.json"), "{}");
        Restore.Refused e = assertThrows(Restore.Refused.class, () -> Restore.into(z, target));
        assertTrue(e.getMessage().startsWith("--data-dir: " + target + " is not an empty directory"), e.getMessage());
        assertFalse(Files.exists(target.resolve("keys")));
    }

    @Test
    void into_zipWithoutManifest_isRefused() throws Exception {
        Path z = zip("keys/admin-token", "x");
        Restore.Refused e = assertThrows(Restore.Refused.class, () -> Restore.into(z, tmp.resolve("new")));
        assertEquals("--from: not an aiot-edge backup (no backup.json)", e.getMessage());
    }
}

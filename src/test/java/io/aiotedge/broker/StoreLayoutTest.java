package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.migration.meta.PersistenceType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLayoutTest {
    @TempDir
    Path persistence;

    @Test
    void choose_noStoreOnDisk_givesTheWantedForm() {
        assertEquals(PersistenceType.FILE,
                StoreLayout.choose(persistence, "retained_messages", PersistenceType.FILE));
    }

    @Test
    void choose_rocksDbStoreOfAnOlderRelease_staysRocksDb() throws Exception {
        Files.createDirectories(persistence.resolve("retained_messages/040500_R/retained_messages_0"));
        assertEquals(PersistenceType.FILE_NATIVE,
                StoreLayout.choose(persistence, "retained_messages", PersistenceType.FILE));
    }

    @Test
    void choose_xodusStore_staysXodusWhenRocksDbIsWanted() throws Exception {
        Files.createDirectories(persistence.resolve("publish_payload_store/040500"));
        assertEquals(PersistenceType.FILE,
                StoreLayout.choose(persistence, "publish_payload_store", PersistenceType.FILE_NATIVE));
    }

    @Test
    void choose_bothForms_givesTheWantedForm() throws Exception {
        Files.createDirectories(persistence.resolve("retained_messages/040500"));
        Files.createDirectories(persistence.resolve("retained_messages/040500_R"));
        assertEquals(PersistenceType.FILE,
                StoreLayout.choose(persistence, "retained_messages", PersistenceType.FILE));
    }

    @Test
    void choose_aFileNamedLikeTheStore_isNoStore() throws Exception {
        Files.createDirectories(persistence.resolve("retained_messages"));
        Files.writeString(persistence.resolve("retained_messages/040500_R"), "not a directory");
        assertEquals(PersistenceType.FILE,
                StoreLayout.choose(persistence, "retained_messages", PersistenceType.FILE));
    }
}

package io.aiotedge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.core.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigTest {
    private final ConfigLoader loader = new ConfigLoader(k -> null);

    @Test
    void defaults_areTheEmbeddedH2File() {
        StorageConfig s = loader.load(null, List.of()).config().storage();
        assertTrue(s.embedded());
        assertEquals(new StorageConfig("", "", ""), s);
    }

    @Test
    void emptySets_areTheDefault() {
        StorageConfig s = loader.load(null, List.of("storage.jdbcUrl=", "storage.user=", "storage.password="))
                .config().storage();
        assertEquals(new StorageConfig("", "", ""), s);
    }

    @Test
    void postgresUrl_isAccepted() {
        StorageConfig s = loader.load(null, List.of("storage.jdbcUrl=jdbc:postgresql://db.plant:5432/aiot",
                "storage.user=aiot", "storage.password=pw-1234")).config().storage();
        assertTrue(s.postgres());
        assertEquals("aiot", s.user());
        assertEquals("pw-1234", s.password());
    }

    @Test
    void otherUrl_isAConfigExceptionNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(null, List.of("storage.jdbcUrl=jdbc:mysql://db/aiot?password=hunter2")));
        assertTrue(e.getMessage().contains("storage.jdbcUrl: must be empty (the embedded H2 file), a jdbc:h2: or a "
                + "jdbc:postgresql: URL"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "the URL's password is not repeated: " + e.getMessage());
    }

    @Test
    void effective_redactsThePasswordAndTheUrlsPasswordParameter() {
        Map<String, String> eff = loader.load(null, List.of(
                "storage.jdbcUrl=jdbc:postgresql://db/aiot?user=aiot&password=hunter2&ssl=true",
                "storage.password=s3cret-pw")).effective();
        assertEquals("jdbc:postgresql://db/aiot?user=aiot&password=******&ssl=true", eff.get("storage.jdbcUrl"));
        assertEquals("******", eff.get("storage.password"));
        assertFalse(new StorageConfig("jdbc:postgresql://db/aiot?password=hunter2", "aiot", "s3cret-pw").toString()
                .matches(".*(hunter2|s3cret-pw).*"));
    }
}

package io.aiotedge.broker;

import io.aiotedge.core.auth.Principal;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which principal may use which MQTT client id. Two rules, checked at CONNECT before HiveMQ
 * resumes or takes over a session:
 * <ol>
 *   <li>a principal of a device role may use only its own ids: its name, or {@code <name>/<suffix>}
 *       (device ids never contain {@code /}, so no device's ids are a prefix of another's);</li>
 *   <li>a session (live, or persistent with queued messages) belongs to the principal that made
 *       it; another principal, of any role, is refused while that session exists. Once it is gone
 *       (expired, or a clean session closed) the id is free again.</li>
 * </ol>
 * Owners of persistent sessions are written to a file, so rule 2 holds across a restart with
 * {@code mqtt.persistence: file}. Thread-safe.
 */
final class SessionOwners {
    private static final Logger log = LoggerFactory.getLogger(SessionOwners.class);

    private record Owner(String key, boolean persistent) {
    }

    private final Map<String, Owner> owners = new HashMap<>();
    private final Path file;
    private final Predicate<String> sessionExists;

    /**
     * @param file where owners of persistent sessions are kept; null = memory only
     * @param sessionExists whether the broker holds a live or stored session for a client id
     */
    SessionOwners(Path file, Predicate<String> sessionExists) {
        this.file = file;
        this.sessionExists = sessionExists;
        load();
    }

    /** Whether {@code clientId} is one of device {@code name}'s ids. */
    static boolean belongsTo(String clientId, String name) {
        return clientId.equals(name) || clientId.length() > name.length() + 1 && clientId.startsWith(name)
                && clientId.charAt(name.length()) == '/';
    }

    /**
     * Claims {@code clientId} for {@code p}.
     *
     * @param persistent whether the new session outlives the connection (session expiry &gt; 0)
     * @return null when {@code p} may connect with this id (and now owns it), else the reason not
     */
    String claim(Principal p, String clientId, boolean persistent) {
        if (p.role().isDevice() && !belongsTo(clientId, p.name())) {
            return "client id must be '" + p.name() + "' or start with '" + p.name() + "/'";
        }
        String key = key(p);
        synchronized (this) {
            Owner owner = owners.get(clientId);
            if (owner != null && !owner.key().equals(key) && sessionExists.test(clientId)) {
                return "client id '" + clientId + "' is in use by another principal's session";
            }
            Owner now = new Owner(key, persistent);
            if (!now.equals(owner)) {
                owners.put(clientId, now);
                if (persistent || owner != null && owner.persistent()) {
                    save();
                }
            }
            return null;
        }
    }

    private static String key(Principal p) {
        return p.role().id() + "|" + p.source() + "|" + p.name();
    }

    private void load() {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            log.warn("Cannot read the MQTT session owners from {}: {}", file, e.toString());
            return;
        }
        props.forEach((k, v) -> owners.put((String) k, new Owner((String) v, true)));
    }

    private void save() {
        if (file == null) {
            return;
        }
        Properties props = new Properties();
        owners.forEach((id, o) -> {
            if (o.persistent()) {
                props.setProperty(id, o.key());
            }
        });
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(w, "MQTT client id -> the principal that owns its persistent session");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("Cannot write the MQTT session owners to {}: {}", file, e.toString());
        }
    }
}

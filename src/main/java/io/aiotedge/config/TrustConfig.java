package io.aiotedge.config;

import io.aiotedge.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * The node-wide trust ({@code tls.*}) of every TLS client of ours: the MQTT clients of the gateway,
 * simulator and inference roles, the inference role's model downloads, and the Kafka clients
 * ({@code ssl.truststore.*} when {@code kafka.client} speaks SSL or SASL_SSL and sets none). The
 * store is opened at load, so a missing, unreadable or wrong-password store fails startup naming
 * the key. Immutable.
 *
 * @param trustStore a PKCS#12 (or JKS) store of trusted certificates, e.g. the {@code truststore.p12}
 *     of {@code aiot-edge certs ca}; null = the JVM's trust store
 * @param trustStorePassword its password (a secret)
 */
public record TrustConfig(Path trustStore, String trustStorePassword) {
    /** The JVM's own trust store (no {@code tls.trustStore}). */
    public static final TrustConfig JVM = new TrustConfig(null, "");

    /** Whether a trust store of our own replaces the JVM's. */
    public boolean custom() {
        return trustStore != null;
    }

    /** Opens the store; a problem is a {@link ConfigException} naming the key at fault. */
    public KeyStore load() {
        if (!Files.isRegularFile(trustStore) || !Files.isReadable(trustStore)) {
            throw new ConfigException("tls.trustStore: cannot read " + trustStore);
        }
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(trustStore.toFile(), trustStorePassword.toCharArray());
        } catch (IOException e) {
            throw new ConfigException("tls.trustStorePassword: cannot open " + trustStore + " with it ("
                    + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.trustStore: " + trustStore + " is not a PKCS#12 or JKS store ("
                    + e.getMessage() + ")");
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isCertificateEntry(alias)) {
                    return ks;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.trustStore: cannot list " + trustStore + ": " + e.getMessage());
        }
        throw new ConfigException("tls.trustStore: " + trustStore + " holds no trusted certificate entry (use the "
                + "truststore.p12 of 'aiot-edge certs ca', not a key store)");
    }

    static TrustConfig read(ConfigReader r) {
        String path = r.string("tls.trustStore");
        String password = r.string("tls.trustStorePassword");
        if (path.isBlank()) {
            return JVM;
        }
        TrustConfig c = new TrustConfig(Path.of(path), password);
        try {
            c.load();
        } catch (ConfigException e) {
            e.problems().forEach(p -> r.problem(p.substring(0, p.indexOf(':')), p.substring(p.indexOf(':') + 2)));
        }
        return c;
    }

    @Override
    public String toString() {
        return "TrustConfig[" + (custom() ? trustStore : "JVM trust store") + "]";
    }
}

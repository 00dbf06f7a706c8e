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
        try {
            return open();
        } catch (Unusable e) {
            throw new ConfigException(e.key + ": " + e.getMessage());
        }
    }

    static TrustConfig read(ConfigReader r) {
        String path = r.string("tls.trustStore");
        String password = r.string("tls.trustStorePassword");
        if (path.isBlank()) {
            return JVM;
        }
        TrustConfig c = new TrustConfig(Path.of(path), password);
        try {
            c.open();
        } catch (Unusable e) {
            r.problem(e.key, e.getMessage());
        }
        return c;
    }

    private KeyStore open() throws Unusable {
        if (!Files.isRegularFile(trustStore) || !Files.isReadable(trustStore)) {
            throw new Unusable("tls.trustStore", "cannot read " + trustStore);
        }
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(trustStore.toFile(), trustStorePassword.toCharArray());
        } catch (IOException e) {
            throw new Unusable("tls.trustStorePassword", "cannot open " + trustStore + " with it (" + e.getMessage()
                    + ")");
        } catch (GeneralSecurityException e) {
            throw new Unusable("tls.trustStore", trustStore + " is not a PKCS#12 or JKS store (" + e.getMessage()
                    + ")");
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isCertificateEntry(alias)) {
                    return ks;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new Unusable("tls.trustStore", "cannot list " + trustStore + ": " + e.getMessage());
        }
        throw new Unusable("tls.trustStore", trustStore + " holds no trusted certificate entry (use the "
                + "truststore.p12 of 'aiot-edge certs ca', not a key store)");
    }

    /** Why the store cannot be used, and the key to change. */
    private static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;
        final String key;

        Unusable(String key, String reason) {
            super(reason);
            this.key = key;
        }
    }

    @Override
    public String toString() {
        return "TrustConfig[" + (custom() ? trustStore : "JVM trust store") + "]";
    }
}

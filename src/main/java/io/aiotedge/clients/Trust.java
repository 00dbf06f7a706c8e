package io.aiotedge.clients;

import io.aiotedge.config.TrustConfig;
import io.aiotedge.core.ConfigException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The node-wide trust ({@code tls.trustStore}) in the forms our TLS clients take it: trust managers
 * for the MQTT client, an {@link SSLContext} for the JDK's HTTP client. The JVM's trust store when
 * {@code tls.trustStore} is empty. Stateless.
 */
public final class Trust {
    private Trust() {
    }

    /** The trust managers of {@code tls.trustStore}, or null for the JVM's default. */
    public static TrustManagerFactory managers(TrustConfig trust) {
        if (!trust.custom()) {
            return null;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust.load());
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.trustStore: cannot use " + trust.trustStore() + ": " + e.getMessage());
        }
    }

    /** A TLS context trusting {@code tls.trustStore} (or the JVM's default). */
    public static SSLContext sslContext(TrustConfig trust) {
        try {
            TrustManagerFactory tmf = managers(trust);
            if (tmf == null) {
                return SSLContext.getDefault();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("tls.trustStore: cannot build a TLS context: " + e.getMessage());
        }
    }

    /** A JDK HTTP client builder whose HTTPS trusts {@code tls.trustStore}. */
    public static HttpClient.Builder http(TrustConfig trust) {
        return HttpClient.newBuilder().sslContext(sslContext(trust));
    }
}

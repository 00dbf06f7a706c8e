package io.aiotedge.certs;

import io.aiotedge.core.Checks;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The names of the files in a certificate directory, in one place: the CA's ({@code ca.p12},
 * {@code ca.pem}, {@code truststore.p12}, {@code store-password}) and a node's ({@code N.p12},
 * {@code N.pem}, {@code N.key.pem}).
 */
public record CertFiles(Path dir) {
    /** The alias of the CA's key entry in {@code ca.p12} and of the trusted entry in the trust store. */
    public static final String CA_ALIAS = "aiot-ca";
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public CertFiles {
        Checks.notNull(dir, "Certificate directory");
    }

    public Path caStore() {
        return dir.resolve("ca.p12");
    }

    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    public Path storePassword() {
        return dir.resolve("store-password");
    }

    public Path nodeStore(String name) {
        return dir.resolve(checkedName(name) + ".p12");
    }

    public Path nodePem(String name) {
        return dir.resolve(checkedName(name) + ".pem");
    }

    public Path nodeKeyPem(String name) {
        return dir.resolve(checkedName(name) + ".key.pem");
    }

    /** A node name becomes a file name and the certificate's CN: letters, digits, '.', '_', '-'. */
    public static String checkedName(String name) {
        if (name == null || !NODE_NAME.matcher(name).matches() || name.equals("ca") || name.equals("truststore")) {
            throw new CertsException("--name '" + name + "' is not a node name: use 1-63 letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit (and not 'ca' or 'truststore', the CA's files)");
        }
        return name;
    }
}

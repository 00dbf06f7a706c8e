package io.aiotedge.certs;

import io.aiotedge.core.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Writes and reads the files: PKCS#12 stores through the JDK's own {@code PKCS12} KeyStore (its
 * trusted-certificate entries carry the attribute a JDK reader needs to treat them as trust
 * anchors, which BC's writer omits), PEM through BC's writer. Key material goes to disk 0600
 * through {@link PrivateFiles}; certificates and the trust store are public. Stateless.
 */
final class Stores {
    private Stores() {
    }

    static void writeKeyStore(Path file, String alias, PrivateKey key, Certificate[] chain, char[] pw)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, key, pw, chain);
        PrivateFiles.write(file, bytes(ks, pw));
    }

    static void writeTrustStore(Path file, X509Certificate ca, char[] pw)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry(CertFiles.CA_ALIAS, ca);
        writePublic(file, bytes(ks, pw));
    }

    static void writeCertificatesPem(Path file, X509Certificate... certs) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate c : certs) {
                pem.writeObject(c);
            }
        }
        writePublic(file, out.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), 0600: what mosquitto and OpenSSL read. */
    static void writePrivateKeyPem(Path file, PrivateKey key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JcaPEMWriter pem = new JcaPEMWriter(new OutputStreamWriter(bytes, StandardCharsets.US_ASCII))) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        PrivateFiles.write(file, bytes.toByteArray());
    }

    /** The one key entry {@code alias} of {@code file}; a wrong password or missing entry is a CertsException. */
    static KeyStore.PrivateKeyEntry readKeyEntry(Path file, String alias, char[] pw) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CertsException(file + " does not exist: run 'certs ca --dir " + file.getParent() + "' first");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            Key key = ks.getKey(alias, pw);
            Certificate[] chain = ks.getCertificateChain(alias);
            if (!(key instanceof PrivateKey pk) || chain == null) {
                throw new CertsException(file + " holds no key entry '" + alias + "'");
            }
            return new KeyStore.PrivateKeyEntry(pk, chain);
        } catch (GeneralSecurityException e) {
            throw new CertsException(file + " cannot be opened with the store password: " + e.getMessage());
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new CertsException(file + " cannot be opened: wrong store password");
            }
            throw e;
        }
    }

    private static byte[] bytes(KeyStore ks, char[] pw) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, pw);
        return out.toByteArray();
    }

    private static void writePublic(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

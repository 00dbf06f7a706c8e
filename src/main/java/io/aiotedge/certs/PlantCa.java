package io.aiotedge.certs;

import io.aiotedge.core.Checks;
import io.aiotedge.core.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * A plant CA in a directory: {@link #create} makes one (and refuses to replace an existing one,
 * since every certificate it signed would stop being trusted), {@link #issueNode} signs a node's
 * key pair with it. Every store in the directory has the one password of {@link StorePassword}.
 * Not thread-safe (one command at a time on one directory).
 */
public final class PlantCa {
    public static final int MAX_DAYS = 36500;
    private final CertFiles files;
    private final Clock clock;
    private final Certificates certificates = new Certificates();

    public PlantCa(Path dir, Clock clock) {
        this.files = new CertFiles(dir);
        this.clock = Checks.notNull(clock, "Clock");
    }

    public CertFiles files() {
        return files;
    }

    /**
     * Makes the CA: {@code ca.p12} (key + certificate, 0600), {@code ca.pem}, {@code truststore.p12}.
     * The password comes from {@code passwordFile} if given, else from {@code store-password}, which
     * is created when missing.
     */
    public Issued create(String cn, int days, Path passwordFile) throws IOException, GeneralSecurityException {
        Checks.notBlank(cn, "--cn");
        checkDays(days);
        for (Path p : List.of(files.caStore(), files.caPem(), files.trustStore())) {
            if (Files.exists(p)) {
                throw new CertsException(p + " exists: 'certs ca' does not replace a plant CA (every certificate "
                        + "it signed would stop being trusted); use another --dir, or remove the CA files yourself");
            }
        }
        if (!Files.isDirectory(files.dir())) {
            PrivateFiles.directory(files.dir());
        }
        Path pwFile = passwordFile != null ? passwordFile : files.storePassword();
        boolean createPw = passwordFile == null && !Files.exists(pwFile);
        char[] pw = createPw ? StorePassword.create(pwFile) : StorePassword.read(pwFile);
        Instant now = clock.instant();
        KeyPair keys = certificates.newKeyPair();
        X509Certificate ca = certificates.ca(cn, keys, now, days);
        Stores.writeKeyStore(files.caStore(), CertFiles.CA_ALIAS, keys.getPrivate(), new Certificate[] {ca}, pw);
        Stores.writeCertificatesPem(files.caPem(), ca);
        Stores.writeTrustStore(files.trustStore(), ca, pw);
        List<Path> written = createPw ? List.of(pwFile, files.caStore(), files.caPem(), files.trustStore())
                : List.of(files.caStore(), files.caPem(), files.trustStore());
        return new Issued(written, ca.getSubjectX500Principal().getName(), List.of(),
                ca.getNotAfter().toInstant(), pwFile, createPw);
    }

    /**
     * Signs a new key pair for node {@code name}: {@code N.p12} (key + leaf,CA chain under alias
     * {@code name}, 0600), {@code N.pem} (leaf + CA), {@code N.key.pem} (PKCS#8, 0600). Files of
     * an earlier certificate of the same name are replaced.
     */
    public Issued issueNode(String name, SubjectNames sans, int days, Path passwordFile)
            throws IOException, GeneralSecurityException {
        CertFiles.checkedName(name);
        Checks.notNull(sans, "Subject alternative names");
        checkDays(days);
        Path pwFile = passwordFile != null ? passwordFile : files.storePassword();
        char[] pw = StorePassword.read(pwFile);
        KeyStore.PrivateKeyEntry caEntry = Stores.readKeyEntry(files.caStore(), CertFiles.CA_ALIAS, pw);
        PrivateKey caKey = caEntry.getPrivateKey();
        X509Certificate ca = (X509Certificate) caEntry.getCertificate();
        KeyPair keys = certificates.newKeyPair();
        X509Certificate leaf = certificates.leaf(name, sans, keys, caKey, ca, clock.instant(), days);
        Stores.writeKeyStore(files.nodeStore(name), name, keys.getPrivate(), new Certificate[] {leaf, ca}, pw);
        Stores.writeCertificatesPem(files.nodePem(name), leaf, ca);
        Stores.writePrivateKeyPem(files.nodeKeyPem(name), keys.getPrivate());
        return new Issued(List.of(files.nodeStore(name), files.nodePem(name), files.nodeKeyPem(name)),
                leaf.getSubjectX500Principal().getName(), sans.describe(), leaf.getNotAfter().toInstant(), pwFile,
                false);
    }

    private static void checkDays(int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new CertsException("--days " + days + " is out of range: 1.." + MAX_DAYS);
        }
    }
}

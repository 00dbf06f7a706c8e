package io.aiotedge.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlantCaTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    private PlantCa ca() {
        return new PlantCa(dir, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private PlantCa withNode() throws Exception {
        PlantCa ca = ca();
        ca.create("aiot plant CA", 3650, null);
        ca.issueNode("k1", new SubjectNames(List.of("10.213.0.21"), List.of("k1.plant")), 825, null);
        return ca;
    }

    private char[] password() throws Exception {
        return Files.readString(dir.resolve("store-password"), StandardCharsets.UTF_8).strip().toCharArray();
    }

    private KeyStore open(String file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            ks.load(in, password());
        }
        return ks;
    }

    @Test
    void issueNode_chainFromNodeStore_validatesAgainstTrustStoreWithJdkCertPathValidator() throws Exception {
        withNode();
        KeyStore node = open("k1.p12");
        KeyStore trust = open("truststore.p12");
        List<X509Certificate> chain = new ArrayList<>();
        for (var c : node.getCertificateChain("k1")) {
            chain.add((X509Certificate) c);
        }
        assertEquals(2, chain.size());
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, 1));
        PKIXParameters params = new PKIXParameters(trust); // only trusted-cert entries count as anchors
        params.setRevocationEnabled(false);
        params.setDate(java.util.Date.from(NOW.plus(Duration.ofDays(1))));
        CertPathValidator.getInstance("PKIX").validate(path, params);
        assertEquals(1, params.getTrustAnchors().size());
        TrustAnchor anchor = params.getTrustAnchors().iterator().next();
        assertEquals(chain.get(1), anchor.getTrustedCert());
    }

    @Test
    void issueNode_leaf_hasRequestedSansServerAndClientEkuAndIsNoCa() throws Exception {
        withNode();
        X509Certificate leaf = (X509Certificate) open("k1.p12").getCertificate("k1");
        assertEquals("CN=k1", leaf.getSubjectX500Principal().getName());
        assertEquals("CN=aiot plant CA", leaf.getIssuerX500Principal().getName());
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        assertEquals(List.of(List.of(7, "10.213.0.21"), List.of(2, "k1.plant")), List.copyOf(sans));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
        assertEquals(-1, leaf.getBasicConstraints());
        assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
        assertEquals("SHA256withECDSA", leaf.getSigAlgName());
        assertEquals(NOW.minus(Duration.ofMinutes(5)), leaf.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofDays(825)), leaf.getNotAfter().toInstant());
        assertTrue(leaf.getSerialNumber().signum() > 0);
        assertTrue(leaf.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
    }

    @Test
    void create_ca_isCaWithPathLengthZeroAndCertSignUsage() throws Exception {
        ca().create("aiot plant CA", 3650, null);
        X509Certificate ca = (X509Certificate) open("truststore.p12").getCertificate(CertFiles.CA_ALIAS);
        assertEquals(0, ca.getBasicConstraints());
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        assertTrue(ca.getKeyUsage()[6], "cRLSign");
        assertEquals(ca, CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(dir.resolve("ca.pem"))));
        ca.verify(ca.getPublicKey());
    }

    @Test
    void create_existingCa_refusedAndKeptUnchanged() throws Exception {
        ca().create("aiot plant CA", 3650, null);
        byte[] before = Files.readAllBytes(dir.resolve("ca.p12"));
        CertsException e = assertThrows(CertsException.class, () -> ca().create("other", 10, null));
        assertEquals(dir.resolve("ca.p12") + " exists: 'certs ca' does not replace a plant CA (every certificate "
                + "it signed would stop being trusted); use another --dir, or remove the CA files yourself",
                e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("ca.p12"))));
    }

    @Test
    void subjectNames_none_refusedWithPreciseMessage() {
        CertsException e = assertThrows(CertsException.class, () -> new SubjectNames(List.of(), List.of()));
        assertEquals("certs node needs at least one --ip or --dns: TLS clients check the address they connect to "
                + "against the certificate's subject alternative names, not its CN (e.g. --ip 10.0.0.5 for a "
                + "board addressed by IP, as Kafka clients and brokers are)", e.getMessage());
    }

    @Test
    void subjectNames_malformedIpOrDns_refusedNamingTheValue() {
        assertEquals("--ip '10.0.0.300' is not an IPv4 or IPv6 address", assertThrows(CertsException.class,
                () -> new SubjectNames(List.of("10.0.0.300"), List.of())).getMessage());
        assertEquals("--dns 'a b' is not a DNS name", assertThrows(CertsException.class,
                () -> new SubjectNames(List.of(), List.of("a b"))).getMessage());
    }

    @Test
    void issueNode_hostileName_refusedBeforeAnythingIsWritten() throws Exception {
        ca().create("aiot plant CA", 3650, null);
        SubjectNames sans = new SubjectNames(List.of("10.0.0.5"), List.of());
        for (String bad : List.of("../x", "ca", "a/b", "", "-x")) {
            assertThrows(CertsException.class, () -> ca().issueNode(bad, sans, 10, null), bad);
        }
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count());
        }
    }

    @Test
    void issueNode_withoutCa_refusedNamingTheCommand() {
        SubjectNames sans = new SubjectNames(List.of("10.0.0.5"), List.of());
        CertsException e = assertThrows(CertsException.class, () -> ca().issueNode("n1", sans, 10, null));
        assertTrue(e.getMessage().startsWith("Password file " + dir.resolve("store-password") + " does not exist"),
                e.getMessage());
    }

    @Test
    void issueNode_wrongPasswordFile_refused() throws Exception {
        ca().create("aiot plant CA", 3650, null);
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not-the-password\n", StandardCharsets.UTF_8);
        SubjectNames sans = new SubjectNames(List.of("10.0.0.5"), List.of());
        CertsException e = assertThrows(CertsException.class, () -> ca().issueNode("n1", sans, 10, wrong));
        assertEquals(dir.resolve("ca.p12") + " cannot be opened: wrong store password", e.getMessage());
        assertFalse(Files.exists(dir.resolve("n1.p12")));
    }

    @Test
    void files_keysAndPassword_areOwnerOnly() throws Exception {
        withNode();
        for (String f : List.of("store-password", "ca.p12", "k1.p12", "k1.key.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        assertEquals(24, password().length);
        assertTrue(new String(password()).matches("[A-Za-z0-9_-]{24}"));
    }

    @Test
    void issueNode_keyPem_isPkcs8OfTheStoredKey() throws Exception {
        withNode();
        String pem = Files.readString(dir.resolve("k1.key.pem"), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem);
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        assertEquals(open("k1.p12").getKey("k1", password()), key);
        Collection<? extends java.security.cert.Certificate> pemChain = CertificateFactory.getInstance("X.509")
                .generateCertificates(Files.newInputStream(dir.resolve("k1.pem")));
        assertEquals(2, pemChain.size());
    }

    @Test
    void create_withPasswordFile_usesItAndCreatesNoStorePassword() throws Exception {
        Path pw = Files.writeString(dir.resolve("mine"), "s3cret-pass\n", StandardCharsets.UTF_8);
        Issued issued = ca().create("aiot plant CA", 30, pw);
        assertFalse(issued.passwordCreated());
        assertFalse(Files.exists(dir.resolve("store-password")));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("ca.p12"))) {
            ks.load(in, "s3cret-pass".toCharArray());
        }
        assertInstanceOf(PrivateKey.class, ks.getKey(CertFiles.CA_ALIAS, "s3cret-pass".toCharArray()));
    }
}

package io.aiotedge.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the X.509 certificates with BouncyCastle's builder, signed through the JDK's own
 * providers (no BC JCE provider is registered): EC P-256 keys, SHA256withECDSA, serials of 127
 * random bits (positive, unique in practice), notBefore five minutes back for boards whose clock
 * is a little behind, CN-only subjects (so {@code ssl.principal.mapping.rules} on the CN is
 * unambiguous). Stateless apart from its random source.
 */
final class Certificates {
    static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA256withECDSA";
    private final SecureRandom random = new SecureRandom();

    KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"), random);
        return gen.generateKeyPair();
    }

    /** A self-signed CA that may sign leaves only (path length 0). */
    X509Certificate ca(String cn, KeyPair keys, Instant now, int days) throws GeneralSecurityException {
        X500Name name = cnOnly(cn);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, keys, now, days)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(b, keys.getPrivate());
        } catch (CertIOException e) {
            throw new GeneralSecurityException("Cannot encode the CA's extensions", e);
        }
    }

    /** A leaf for {@code cn}: server and client authentication, the given SANs, signed by the CA. */
    X509Certificate leaf(String cn, SubjectNames sans, KeyPair keys, PrivateKey caKey, X509Certificate caCert,
            Instant now, int days) throws GeneralSecurityException {
        X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(issuer, cnOnly(cn), keys, now, days)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                                    KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, sans.toGeneralNames())
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(caCert));
            return sign(b, caKey);
        } catch (CertIOException e) {
            throw new GeneralSecurityException("Cannot encode the certificate's extensions", e);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant now,
            int days) {
        BigInteger serial = new BigInteger(127, random).setBit(126);
        Date notBefore = Date.from(now.minus(BACKDATE));
        Date notAfter = Date.from(now.plus(Duration.ofDays(days)));
        return new JcaX509v3CertificateBuilder(issuer, serial, notBefore, notAfter, subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("Cannot sign with " + SIGNATURE, e);
        }
    }

    private static X500Name cnOnly(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }
}

/**
 * The plant CA and node certificates behind {@code aiot-edge certs}: an EC P-256 CA, leaf
 * certificates with IP/DNS subject alternative names for brokers, servers and mTLS clients, written
 * as JDK PKCS#12 stores and PEM files (docs/security.md, "Plant CA and certificates"). A library of
 * {@code cli} with no lifecycle; the only package importing BouncyCastle.
 */
package io.aiotedge.certs;

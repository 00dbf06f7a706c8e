package io.aiotedge.certs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * A leaf's subject alternative names: the IP addresses and DNS names TLS clients check the host
 * they dialled against (Java, Kafka and OpenSSL ignore the CN when SANs are present). At least
 * one is required; each is checked before anything is written.
 */
public record SubjectNames(List<String> ips, List<String> dnsNames) {
    private static final Pattern DNS = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public SubjectNames {
        ips = List.copyOf(ips == null ? List.of() : ips);
        dnsNames = List.copyOf(dnsNames == null ? List.of() : dnsNames);
        if (ips.isEmpty() && dnsNames.isEmpty()) {
            throw new CertsException("certs node needs at least one --ip or --dns: TLS clients check the address "
                    + "they connect to against the certificate's subject alternative names, not its CN "
                    + "(e.g. --ip 10.0.0.5 for a board addressed by IP, as Kafka clients and brokers are)");
        }
        for (String ip : ips) {
            if (!IPAddress.isValid(ip)) {
                throw new CertsException("--ip '" + ip + "' is not an IPv4 or IPv6 address");
            }
        }
        for (String dns : dnsNames) {
            if (dns.length() > 253 || !DNS.matcher(dns).matches()) {
                throw new CertsException("--dns '" + dns + "' is not a DNS name");
            }
        }
    }

    /** "IP:10.0.0.5, DNS:host.plant", the way keytool and openssl print them. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        ips.forEach(ip -> out.add("IP:" + ip));
        dnsNames.forEach(d -> out.add("DNS:" + d));
        return out;
    }

    GeneralNames toGeneralNames() {
        List<GeneralName> names = new ArrayList<>();
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }
}

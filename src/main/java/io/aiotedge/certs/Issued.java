package io.aiotedge.certs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a {@code certs} step wrote, for the command to print: the files (in order), the certificate's
 * subject and SANs, its expiry, and whether the store password file was created by this step.
 */
public record Issued(List<Path> files, String subject, List<String> subjectAltNames, Instant notAfter,
        Path passwordFile, boolean passwordCreated) {
    public Issued {
        files = List.copyOf(files);
        subjectAltNames = List.copyOf(subjectAltNames);
    }
}

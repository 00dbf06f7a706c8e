package io.aiotedge.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiotedge.core.KeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The key files the docs name under {@code <dataDir>/keys/} are the ones the code uses. */
class KeyFilesDocsTest {
    private static final Pattern MENTION = Pattern.compile("keys/([A-Za-z0-9._-]+)");

    @Test
    void keyFiles_namedInTheDocs_areTheCodesAndAllOfThem() throws IOException {
        Path data = Path.of("data");
        KeyFiles keys = new KeyFiles(data);
        Set<String> code = new TreeSet<>();
        for (Path p : new Path[] {keys.adminToken(), keys.signingKey(), keys.signingPublicKey()}) {
            code.add(data.relativize(p).toString());
        }
        Set<String> documented = new TreeSet<>();
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            for (Path doc : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                Matcher m = MENTION.matcher(Files.readString(doc));
                while (m.find()) {
                    documented.add("keys/" + m.group(1));
                }
            }
        }
        assertEquals(code, documented);
    }
}

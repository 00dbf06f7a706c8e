package io.aiotedge.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** JSON has one mapper ({@code wire/Json}); YAML config has its own ({@code config/ConfigTree}). */
class OneJsonMapperTest {
    private static final Path MAIN = Path.of("src/main/java/io/aiotedge");

    @Test
    void objectMappers_areMadeOnlyByJsonAndConfigTree() throws IOException {
        Set<String> makers = new TreeSet<>();
        try (Stream<Path> s = Files.walk(MAIN)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("new ObjectMapper(")) {
                    makers.add(MAIN.relativize(f).toString().replace('\\', '/'));
                }
            }
        }
        assertEquals(Set.of("config/ConfigTree.java", "wire/Json.java"), makers);
    }
}

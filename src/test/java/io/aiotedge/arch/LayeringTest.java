package io.aiotedge.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules, checked on the sources against the data in {@code arch/import-control.yaml}:
 * each confined third-party library is imported only from the packages listed for it, components
 * depend on the shared packages only (never on each other), core on nothing, and only the CLI prints.
 * Each violation names the rule (file and line) it breaks.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src/main/java/io/aiotedge");
    private static final Path RULES = Path.of("src/test/resources/arch/import-control.yaml");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    /** The data file: see its comments for what each entry means. */
    record ImportControl(Map<String, Set<String>> libraries, Set<String> shared, Set<String> roots,
            Set<String> isolated, Set<String> printing) {
        static ImportControl read() {
            try {
                return new ObjectMapper(new YAMLFactory()).readValue(RULES.toFile(), ImportControl.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final ImportControl rules = ImportControl.read();

    @Test
    void thirdPartyLibraries_areImportedFromTheirOwnPackageOnly() throws IOException {
        Set<String> violations = new TreeSet<>();
        for (Path f : sources()) {
            String pkg = topPackage(f);
            for (String imp : imports(f)) {
                rules.libraries().forEach((lib, allowed) -> {
                    if (imp.startsWith(lib + ".") && !allowed.contains(pkg)) {
                        violations.add(MAIN.relativize(f) + " imports " + imp + ", breaking " + rule("  " + lib + ":"));
                    }
                });
            }
        }
        assertEquals(Set.of(), violations);
    }

    @Test
    void components_dependOnlyOnCoreAndConfig() throws IOException {
        Set<String> violations = new TreeSet<>();
        for (Path f : sources()) {
            String pkg = topPackage(f);
            if (rules.roots().contains(pkg) || pkg.isEmpty()) {
                continue;
            }
            for (String imp : imports(f)) {
                if (!imp.startsWith("io.aiotedge.")) {
                    continue;
                }
                String target = imp.substring("io.aiotedge.".length()).split("\\.")[0];
                if (rules.isolated().contains(pkg) && !target.equals(pkg)) {
                    violations.add(MAIN.relativize(f) + " imports " + imp + ", breaking " + rule("isolated:"));
                } else if (!target.equals(pkg) && !rules.shared().contains(target)) {
                    violations.add(MAIN.relativize(f) + " imports " + imp + ", breaking " + rule("shared:")
                            + "; " + pkg + " is not one of the " + rule("roots:"));
                }
            }
        }
        assertEquals(Set.of(), violations);
    }

    @Test
    void mainCode_doesNotPrintOutsideTheCli() throws IOException {
        Set<String> violations = new TreeSet<>();
        for (Path f : sources()) {
            if (!rules.printing().contains(topPackage(f))
                    && Files.readString(f).matches("(?s).*System\\.(out|err)\\.print.*")) {
                violations.add(MAIN.relativize(f) + " prints, breaking " + rule("printing:"));
            }
        }
        assertEquals(Set.of(), violations);
    }

    @Test
    void importControl_namesOnlyPackagesThatExist() throws IOException {
        Set<String> named = new TreeSet<>(rules.shared());
        named.addAll(rules.roots());
        named.addAll(rules.isolated());
        named.addAll(rules.printing());
        rules.libraries().values().forEach(named::addAll);
        named.removeIf(p -> Files.isDirectory(MAIN.resolve(p)));
        assertEquals(Set.of(), named, "packages named in " + RULES + " but not in " + MAIN);
    }

    /** "file:line (the line)" of the first rule line that starts with {@code start}. */
    private static String rule(String start) {
        try {
            List<String> lines = Files.readAllLines(RULES);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(start)) {
                    String text = lines.get(i).replaceAll("\\s*#.*", "").trim();
                    return RULES.getFileName() + ":" + (i + 1) + " (" + text + ")";
                }
            }
            return RULES.getFileName() + " (" + start.trim() + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String topPackage(Path f) {
        Path rel = MAIN.relativize(f);
        return rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
    }

    private static List<String> imports(Path f) throws IOException {
        Matcher m = IMPORT.matcher(Files.readString(f));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}

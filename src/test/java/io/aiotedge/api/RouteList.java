package io.aiotedge.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Every route the HTTP server registers, read from the sources ("GET /path/{param}"). */
final class RouteList {
    private static final Pattern ROUTE = Pattern.compile(
            "app\\.(get|post|put|delete|patch)\\(\"([^\"]+)\"|HandlerType\\.(HEAD), \"([^\"]+)\"");
    private static final Pattern CONSTANT = Pattern.compile("app\\.get\\(OPENAPI");

    private RouteList() {
    }

    static List<String> fromSources() throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/main/java/io/aiotedge/api"))) {
            s.forEach(files::add);
        }
        files.add(Path.of("src/main/java/io/aiotedge/http/HttpComponent.java"));
        files.add(Path.of("src/main/java/io/aiotedge/http/ConsoleModule.java"));
        for (Path f : files) {
            String src = Files.readString(f);
            Matcher m = ROUTE.matcher(src);
            while (m.find()) {
                String method = m.group(1) != null ? m.group(1) : m.group(3);
                String path = m.group(2) != null ? m.group(2) : m.group(4);
                out.add(method.toUpperCase(Locale.ROOT) + " " + path);
            }
            if (CONSTANT.matcher(src).find()) {
                out.add("GET " + PlatformApi.OPENAPI);
            }
        }
        if (out.size() < 20) {
            throw new IllegalStateException("found only " + out.size() + " routes; the pattern is stale");
        }
        return out;
    }
}

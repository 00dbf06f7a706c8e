package io.aiotedge.core;

import java.util.List;

/**
 * The configuration is invalid. Carries every problem found (each naming its key), so a bad
 * config fails startup once with the whole list; the process exits with code 2.
 */
public class ConfigException extends EdgeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder sb = new StringBuilder("Invalid configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }
}

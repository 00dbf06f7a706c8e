package io.aiotedge.core;

import java.util.Optional;

/**
 * Whether a model file can serve: the registry asks before it points an alias at a version, so
 * the registry never names a champion or candidate that inference nodes would refuse.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface ModelCheck {
    /** Why {@code model} cannot score {@code features} inputs into one output, or empty when it loads and runs. */
    Optional<String> problem(byte[] model, int features);
}

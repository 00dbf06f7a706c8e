package io.aiotedge.core;

import java.util.Optional;

/**
 * Decides whether a model announcement may be passed on to devices and inference nodes, without
 * the asker importing the model registry; implemented in {@code models}. The bridge downlink asks
 * it for every record it would publish (retained) on {@code aiot/v1/models/{key}/latest}.
 * Stateless from the caller's view; thread-safe.
 */
public interface AnnouncementVerifier {

    /**
     * Why the announcement must not be forwarded (a bad or missing signature, a key that is not
     * the announced name, a payload that is not an announcement), or empty when it may be.
     *
     * @param key the Kafka record key (null when the record has none)
     */
    Optional<String> reject(String key, byte[] payload);

    /**
     * The same for a rollout message on {@code aiot/v1/models/{key}/rollout} ({@code verify:
     * rollout}); a verifier that does not know rollouts refuses every one.
     */
    default Optional<String> rejectRollout(String key, byte[] payload) {
        return Optional.of("this node cannot verify rollout messages");
    }
}

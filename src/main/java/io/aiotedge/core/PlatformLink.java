package io.aiotedge.core;

import java.util.function.Supplier;

/**
 * What the platform role on the same node gives the other roles there: where its API answers
 * and a model-download token made for this start (never written anywhere). Both suppliers answer
 * only once the platform's HTTP server and registries run.
 *
 * @param url {@code scheme://host:port} of this node's API
 * @param downloadToken a token that may only download models
 */
public record PlatformLink(Supplier<String> url, Supplier<String> downloadToken) {
    public PlatformLink {
        Checks.notNull(url, "PlatformLink url");
        Checks.notNull(downloadToken, "PlatformLink downloadToken");
    }
}

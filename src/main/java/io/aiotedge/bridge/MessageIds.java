package io.aiotedge.bridge;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique message ids: a random 64-bit boot id, fixed per bridge start, and a counter, as
 * {@code <boot>-<n>} in hex. A record sent twice (replay after a crash) keeps its id, so
 * consumers can drop the duplicate.
 */
final class MessageIds {
    private final String boot;
    private final AtomicLong counter = new AtomicLong();

    MessageIds(SecureRandom random) {
        byte[] b = new byte[8];
        random.nextBytes(b);
        this.boot = HexFormat.of().formatHex(b);
    }

    String next() {
        return boot + "-" + Long.toHexString(counter.incrementAndGet());
    }
}

package io.aiotedge.broker;

import java.util.function.LongSupplier;

/**
 * A token bucket that lends against the future: {@link #reserve()} always takes a token and
 * answers how long the caller must wait until that token exists (0 when it already did). The
 * bucket holds at most one second of tokens. Thread-safe.
 */
final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    TokenBucket(int perSecond, LongSupplier nanoClock) {
        this.ratePerNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one token; returns the nanoseconds until it is really available. */
    synchronized long reserve() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerNano);
    }

    /** Gives back a token reserved by a caller that then did not use it. */
    synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }
}

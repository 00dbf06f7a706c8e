package io.aiotedge.core.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits failed authentications per key (a source address, a user name or client id): each key
 * has a token bucket of {@code burst} failures that refills at {@code perMinute}; a failure takes
 * a token, and while a key has none left every attempt with it is refused before any password is
 * checked, so guessing costs the node nothing and gains the guesser nothing. At most
 * {@code maxKeys} keys are remembered (least recently used forgotten first). Thread-safe.
 */
public final class AuthFailureLimiter {
    private final double burst;
    private final double perNano;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets;

    /** @param burst failures allowed at once per key; 0 = no limit */
    public AuthFailureLimiter(int burst, int perMinute, int maxKeys, LongSupplier nanoClock) {
        this.burst = burst;
        this.perNano = perMinute / 60e9;
        this.nanoClock = nanoClock;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    public static AuthFailureLimiter unlimited() {
        return new AuthFailureLimiter(0, 0, 1, System::nanoTime);
    }

    /** Whether none of {@code keys} has used up its failures (null keys are ignored). */
    public synchronized boolean allowed(String... keys) {
        if (burst <= 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        for (String k : keys) {
            if (k != null && tokens(k, now) < 1) {
                return false;
            }
        }
        return true;
    }

    /** Records one failed attempt against each of {@code keys}. */
    public synchronized void failed(String... keys) {
        if (burst <= 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        for (String k : keys) {
            if (k != null) {
                double t = tokens(k, now);
                buckets.put(k, new Bucket(Math.max(0, t - 1), now));
            }
        }
    }

    private double tokens(String key, long now) {
        Bucket b = buckets.get(key);
        if (b == null) {
            return burst;
        }
        return Math.min(burst, b.tokens() + (now - b.at()) * perNano);
    }

    private record Bucket(double tokens, long at) {
    }
}

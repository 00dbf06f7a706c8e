package io.aiotedge.core.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void failures_pastTheBurst_refuseTheKey_untilItRefills() {
        AuthFailureLimiter l = new AuthFailureLimiter(3, 6, 100, now::get);
        for (int i = 0; i < 3; i++) {
            assertTrue(l.allowed("addr:a", "id:x"));
            l.failed("addr:a", "id:x");
        }
        assertFalse(l.allowed("addr:a", "id:y"), "the address is used up");
        assertFalse(l.allowed("addr:b", "id:x"), "the name is used up");
        assertTrue(l.allowed("addr:b", "id:y"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(10)); // 6 a minute: one back every 10 s
        assertTrue(l.allowed("addr:a", "id:x"));
        l.failed("addr:a", "id:x");
        assertFalse(l.allowed("addr:a"));
    }

    @Test
    void burstZero_neverRefuses() {
        AuthFailureLimiter l = new AuthFailureLimiter(0, 1, 100, now::get);
        for (int i = 0; i < 100; i++) {
            l.failed("addr:a");
        }
        assertTrue(l.allowed("addr:a"));
    }

    @Test
    void keys_pastMaxKeys_forgetTheLeastRecentlyUsed() {
        AuthFailureLimiter l = new AuthFailureLimiter(1, 1, 2, now::get);
        l.failed("a");
        l.failed("b");
        l.failed("c");
        assertTrue(l.allowed("a"), "forgotten");
        assertFalse(l.allowed("c"));
    }
}

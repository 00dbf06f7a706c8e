package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void reserve_withinBurst_needsNoWait() {
        TokenBucket b = new TokenBucket(10, now::get);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, b.reserve());
        }
    }

    @Test
    void reserve_pastBurst_waitsOneIntervalPerToken() {
        TokenBucket b = new TokenBucket(10, now::get);
        for (int i = 0; i < 10; i++) {
            b.reserve();
        }
        assertEquals(100_000_000L, b.reserve());
        assertEquals(200_000_000L, b.reserve());
    }

    @Test
    void reserve_afterTimePasses_refillsUpToOneSecond() {
        TokenBucket b = new TokenBucket(10, now::get);
        for (int i = 0; i < 12; i++) {
            b.reserve();
        }
        now.addAndGet(10_000_000_000L); // 10 s idle refills only to the 1 s capacity
        for (int i = 0; i < 10; i++) {
            assertEquals(0, b.reserve());
        }
        assertEquals(100_000_000L, b.reserve());
    }

    @Test
    void giveBack_returnsTheToken() {
        TokenBucket b = new TokenBucket(1, now::get);
        assertEquals(0, b.reserve());
        b.reserve();
        b.giveBack();
        b.giveBack();
        assertEquals(0, b.reserve());
    }
}

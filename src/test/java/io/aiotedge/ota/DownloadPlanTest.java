package io.aiotedge.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DownloadPlanTest {
    static final String TAG = DownloadPlan.etag("ab");

    @Test
    void noHeaders_sendTheWholeFile() {
        assertEquals(new DownloadPlan(200, 0, 100, null), DownloadPlan.plan(100, TAG, null, null, null));
    }

    @Test
    void aMatchingIfNoneMatch_is304_includingStarAndWeakForms() {
        assertEquals(304, DownloadPlan.plan(100, TAG, TAG, null, null).status());
        assertEquals(304, DownloadPlan.plan(100, TAG, "\"x\", W/" + TAG, null, null).status());
        assertEquals(304, DownloadPlan.plan(100, TAG, "*", null, null).status());
        assertEquals(200, DownloadPlan.plan(100, TAG, "\"other\"", null, null).status());
    }

    @Test
    void ranges_closedOpenAndSuffix_areClampedToTheFile() {
        assertEquals(new DownloadPlan(206, 10, 11, "bytes 10-20/100"),
                DownloadPlan.plan(100, TAG, null, "bytes=10-20", null));
        assertEquals(new DownloadPlan(206, 90, 10, "bytes 90-99/100"),
                DownloadPlan.plan(100, TAG, null, "bytes=90-", null));
        assertEquals(new DownloadPlan(206, 95, 5, "bytes 95-99/100"),
                DownloadPlan.plan(100, TAG, null, "bytes=-5", null));
        assertEquals(new DownloadPlan(206, 0, 100, "bytes 0-99/100"),
                DownloadPlan.plan(100, TAG, null, "bytes=-500", null));
        assertEquals(new DownloadPlan(206, 50, 50, "bytes 50-99/100"),
                DownloadPlan.plan(100, TAG, null, "bytes=50-1000", null));
    }

    @Test
    void unsatisfiableRanges_are416WithTheSize() {
        assertEquals(new DownloadPlan(416, 0, 0, "bytes */100"), DownloadPlan.plan(100, TAG, null, "bytes=100-", null));
        assertEquals(416, DownloadPlan.plan(100, TAG, null, "bytes=-0", null).status());
        assertEquals(416, DownloadPlan.plan(0, TAG, null, "bytes=0-", null).status());
    }

    @Test
    void malformedMultiOrStaleRanges_fallBackToTheWholeFile() {
        for (String r : new String[] {"bytes=a-b", "items=0-1", "bytes=0-1,5-6", "bytes=5-2", "bytes=", "bytes=--1"}) {
            assertEquals(200, DownloadPlan.plan(100, TAG, null, r, null).status(), r);
        }
        assertEquals(200, DownloadPlan.plan(100, TAG, null, "bytes=0-1", "\"old-etag\"").status());
        assertEquals(206, DownloadPlan.plan(100, TAG, null, "bytes=0-1", TAG).status());
    }
}

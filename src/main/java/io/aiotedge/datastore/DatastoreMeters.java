package io.aiotedge.datastore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code aiot_datastore_rows}: the rows in the training datastore, counted at most every
 * {@value #EVERY_MS} ms (a scrape never waits on more than one count a while).
 */
public final class DatastoreMeters {
    static final long EVERY_MS = 10_000;

    private final FeatureStore store;
    private final LongSupplier clock;
    private final AtomicLong rows = new AtomicLong(-1);
    private volatile long countedAt = Long.MIN_VALUE;

    DatastoreMeters(FeatureStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Registers the gauge for {@code store}. */
    public static void bind(FeatureStore store, MeterRegistry meters) {
        DatastoreMeters m = new DatastoreMeters(store, System::currentTimeMillis);
        // the store is held elsewhere (a gauge holds its object weakly); the function keeps m
        Gauge.builder("aiot_datastore_rows", store, s -> m.rows())
                .description("Rows in the training datastore (counted at most every 10 s)").register(meters);
    }

    synchronized double rows() {
        long now = clock.getAsLong();
        if (now - countedAt >= EVERY_MS) {
            try {
                rows.set(store.count());
                countedAt = now;
            } catch (RuntimeException e) {
                return rows.get(); // the database is not up yet (or gone): the last count
            }
        }
        return rows.get();
    }
}

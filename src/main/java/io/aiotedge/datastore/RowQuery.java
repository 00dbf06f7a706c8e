package io.aiotedge.datastore;

import io.aiotedge.core.Rejection;

/**
 * A datastore query: rows with {@code from <= timestamp < to}, optionally of one device and one
 * label, after row id {@code afterId} (for paging), at most {@code limit}.
 */
public record RowQuery(long from, long to, String deviceId, String label, long afterId, int limit) {
    public static final int MAX_LIMIT = 100_000;

    public RowQuery {
        if (from > to) {
            throw Rejection.invalid("from", "must not be after 'to'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Rejection.invalid("limit", "must be 1-" + MAX_LIMIT);
        }
        if (afterId < 0) {
            throw Rejection.invalid("after", "must not be negative");
        }
    }
}

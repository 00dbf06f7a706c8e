package io.aiotedge.models;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry retention: keeps the aliased versions, any version a non-final rollout names, every
 * version younger than {@code keepMinAgeMs}, and the newest {@code keepCandidates} of the rest;
 * deletes the others in one transaction and their files after the commit, logging each. A crash
 * between commit and unlink leaves an orphan file, which {@link #sweepOrphans} removes at the next
 * start. Called with the registry's lock held, so no register runs between listing and deleting.
 */
final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** What to keep; {@link #KEEP_ALL} deletes nothing (the registry before issue 17). */
    record Policy(int keepCandidates, long keepMinAgeMs) {
        static final Policy KEEP_ALL = new Policy(Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    private final ModelStore store;
    private final VersionRows rows;
    private final ModelFiles files;
    private final DownloadCache downloads;
    private final Function<String, Set<Integer>> pinned;
    private final Clock clock;
    private final Policy policy;

    Retention(ModelStore store, VersionRows rows, ModelFiles files, DownloadCache downloads,
            Function<String, Set<Integer>> pinned, Clock clock, Policy policy) {
        this.store = store;
        this.rows = rows;
        this.files = files;
        this.downloads = downloads;
        this.pinned = pinned;
        this.clock = clock;
        this.policy = policy;
    }

    /** Applies the policy to one model; returns the versions deleted, newest first. */
    List<Integer> apply(String name) throws IOException {
        if (policy.equals(Policy.KEEP_ALL)) {
            return List.of();
        }
        Set<Integer> keep = new HashSet<>(store.aliases(name).values());
        keep.addAll(pinned.apply(name));
        long youngAfter = clock.millis() - policy.keepMinAgeMs();
        List<ModelVersion> doomed = new ArrayList<>();
        int others = 0;
        for (ModelVersion v : store.versionsOf(name)) { // newest first
            if (keep.contains(v.version()) || v.createdAt() > youngAfter) {
                continue;
            }
            if (++others > policy.keepCandidates()) {
                doomed.add(v);
            }
        }
        if (doomed.isEmpty()) {
            return List.of();
        }
        List<Integer> numbers = doomed.stream().map(ModelVersion::version).toList();
        rows.deleteAll(name, numbers);
        numbers.forEach(n -> downloads.deleted(name, n));
        Set<String> live = rows.liveShas();
        for (ModelVersion v : doomed) {
            log.info("Retention deleted model {} v{} (sha256 {}, registered {} by {})", name, v.version(),
                    v.sha256(), java.time.Instant.ofEpochMilli(v.createdAt()), v.createdBy());
            if (!live.contains(v.sha256())) {
                files.delete(v.sha256());
            }
        }
        return numbers;
    }

    /** Deletes stored files no version refers to; run at start, before any upload can be in flight. */
    int sweepOrphans() throws IOException {
        Set<String> live = rows.liveShas();
        int n = 0;
        for (String sha : files.stored()) {
            if (!live.contains(sha)) {
                files.delete(sha);
                log.info("Retention removed orphan model file {}", sha);
                n++;
            }
        }
        return n;
    }
}

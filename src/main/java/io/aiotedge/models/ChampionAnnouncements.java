package io.aiotedge.models;

import io.aiotedge.wire.ModelSignatures;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sends a champion's announcement with the registry's base URL and, when the champion is older
 * than the newest registered version, the signed statement that it supersedes that version.
 * Holds no state of its own.
 */
final class ChampionAnnouncements {
    private final Announcer announcer;
    private final Supplier<String> baseUrl;
    private final ModelStore store;
    private final RegistryKey key;

    ChampionAnnouncements(Announcer announcer, Supplier<String> baseUrl, ModelStore store, RegistryKey key) {
        this.announcer = announcer;
        this.baseUrl = baseUrl;
        this.store = store;
        this.key = key;
    }

    /** Completes when the announcement of {@code champion} is sent. */
    CompletableFuture<Void> announce(ModelVersion champion) {
        return announcer.announce(champion, baseUrl.get(), rollback(champion));
    }

    /**
     * A champion older than the newest registered version is a rollback: consumers refuse a
     * version at or below the one they serve unless the registry signed that it supersedes it.
     */
    private Announcer.Rollback rollback(ModelVersion champion) {
        int newest = store.maxVersion(champion.name());
        if (champion.version() >= newest) {
            return null;
        }
        String sig = key.running().sign(ModelSignatures.rollbackStatement(champion.name(), champion.version(),
                champion.sha256(), newest));
        return new Announcer.Rollback(newest, sig);
    }
}

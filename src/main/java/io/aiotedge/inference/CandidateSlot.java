package io.aiotedge.inference;

import io.aiotedge.inference.ModelUpdater.Rejected;
import io.aiotedge.tflite.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second model slot of a rollout: follows the retained rollout message
 * ({@link RolloutMessage}), installs its candidate with the same checks as a champion (the
 * {@link ModelFetcher}: signatures, size, hash, schema, load, warm-up) into
 * {@code <dataDir>/inference/candidate/} beside a {@code candidate.json} (the message), so a restart
 * reloads it without the network; drops it when the rollout ends ({@code rolled-back},
 * {@code aborted}, {@code completed}) or the champion reaches its version. A message whose
 * signature does not verify, or whose {@code seq} is not above the last one acted on for the same
 * rollout, changes nothing; one at or below the highest seq of any rollout ({@link RolloutSeq}, kept
 * across restarts) is refused as a replay. The champion slot is never touched. One rollout message at a time
 * (callers serialise {@link #apply}); the champion's thread may call {@link #championIs} and
 * {@link #bytesOf} meanwhile: a candidate's download runs outside the slot's lock, so a champion
 * change (a rollback among them) never waits behind it, and a candidate the champion reached while
 * it downloaded is dropped, not installed. {@link #active} may be read from any thread.
 */
final class CandidateSlot {
    private static final Logger log = LoggerFactory.getLogger(CandidateSlot.class);
    static final String META = CandidateFiles.META;

    /** What the slot serves now: the rollout's stage and targeting, and the loaded candidate. */
    record Active(RolloutMessage rollout, LoadedModel model) {
        String rolloutId() {
            return rollout.rolloutId();
        }

        String stage() {
            return rollout.stage();
        }

        /** The candidate serves this device (canary and targeted, or full); else it only shadows. */
        boolean serves(String deviceId, String nodeId) {
            return "full".equals(rollout.stage())
                    || "canary".equals(rollout.stage()) && rollout.targeting().includes(deviceId, nodeId);
        }
    }

    private final CandidateFiles files;
    private final ModelFetcher fetcher;
    private final AtomicReference<Active> active = new AtomicReference<>();
    private final AtomicInteger loadFailures = new AtomicInteger();
    private volatile LoadedModel retired;
    private volatile String state = "none";
    private volatile String detail = "";
    private volatile String lastRollout = "";
    private volatile long lastSeq = -1;
    private final RolloutSeq highSeq;

    /** @param dir {@code <dataDir>/inference/candidate}; the rollout-seq mark is kept beside it */
    CandidateSlot(Path dir, ModelFetcher fetcher) {
        this.files = new CandidateFiles(dir);
        this.fetcher = fetcher;
        this.highSeq = new RolloutSeq(dir.resolveSibling(RolloutSeq.FILE));
    }

    Active active() {
        return active.get();
    }

    /** {@code none}, {@code loading}, {@code loaded} or {@code failed} (docs/platform.md, node reports). */
    String state() {
        return state;
    }

    String detail() {
        return detail;
    }

    int loadFailures() {
        return loadFailures.get();
    }

    /** The rollout last acted on ({@code ""} before any). */
    String lastRollout() {
        return lastRollout;
    }

    /**
     * Acts on one rollout message given the champion now serving ({@code champion} answers null
     * before a first one; it is asked again once a download is done); returns what the slot holds
     * afterwards (null = empty).
     */
    Active apply(byte[] payload, Supplier<LoadedModel> champion) throws Rejected {
        RolloutMessage r;
        try {
            r = RolloutMessage.parse(payload);
        } catch (ModelFormatException e) {
            throw new Rejected(e.getMessage());
        }
        if (!r.name().equals(fetcher.modelName())) {
            throw new Rejected("rollout " + r.rolloutId() + " is for model " + r.name() + "; this node follows "
                    + fetcher.modelName());
        }
        if (!r.verifies(fetcher.key())) {
            throw new Rejected("rollout " + r.rolloutId() + ": the signature does not verify with the trusted key");
        }
        if (r.rolloutId().equals(lastRollout) && r.seq() <= lastSeq) {
            return active.get(); // a repeat (the retained copy at reconnect) or a replayed older stage
        }
        if (r.seq() <= highSeq.high()) {
            throw new Rejected("rollout " + r.rolloutId() + " seq " + r.seq() + " is not above " + highSeq.high()
                    + ", the highest this node has acted on: a replayed message");
        }
        highSeq.keep(r.seq());
        if (!r.active() || reached(champion.get(), r.candidate())) {
            drop(r.rolloutId() + " " + r.stage());
        } else {
            install(r, payload, champion);
        }
        lastRollout = r.rolloutId();
        lastSeq = r.seq();
        return active.get();
    }

    private static boolean reached(LoadedModel champion, Announcement candidate) {
        return champion != null && candidate.version() <= champion.version();
    }

    private void install(RolloutMessage r, byte[] payload, Supplier<LoadedModel> champion) throws Rejected {
        Announcement a = r.candidate();
        Active cur = active.get();
        if (cur != null && cur.model().version() == a.version() && cur.model().sha256().equals(a.sha256())) {
            if (commit(r, payload, cur.model(), cur, champion)) {
                return;
            }
            // the champion's thread dropped (and retired) that engine meanwhile: it cannot serve again
            if (reached(champion.get(), a)) {
                return;
            }
        }
        commit(r, payload, fetch(a), null, champion);
    }

    /**
     * Installs {@code m} under the lock, unless the champion reached its version while it loaded;
     * false (nothing done) when {@code m} is the engine of {@code reusedFrom} and that is no longer
     * the slot's.
     */
    private synchronized boolean commit(RolloutMessage r, byte[] payload, LoadedModel m, Active reusedFrom,
            Supplier<LoadedModel> champion) {
        if (reusedFrom != null && active.get() != reusedFrom) {
            return false;
        }
        Announcement a = r.candidate();
        Active before = active.get();
        if (reached(champion.get(), a)) {
            if (before == null || before.model() != m) {
                m.close();
                files.delete(a);
            }
            drop(r.rolloutId() + ": the champion reached v" + a.version() + " while it loaded");
            return true;
        }
        files.keepMessage(payload);
        active.set(new Active(r, m));
        state = "loaded";
        detail = "";
        if (before != null && before.model() != m) {
            retire(before.model());
        }
        log.info("Rollout {}: candidate {} v{} in stage {}", r.rolloutId(), a.name(), a.version(), r.stage());
        return true;
    }

    /** Downloads, checks, loads and keeps the candidate, outside the slot's lock (it may take minutes). */
    private LoadedModel fetch(Announcement a) throws Rejected {
        state = "loading";
        try {
            fetcher.admissible(a);
            byte[] bytes = fetcher.download(a, files.dir());
            LoadedModel m = fetcher.load(a, bytes);
            try {
                files.keepOnly(a, bytes);
            } catch (Rejected e) {
                m.close();
                throw e;
            }
            return m;
        } catch (Rejected e) {
            loadFailures.incrementAndGet();
            state = "failed";
            detail = e.getMessage();
            files.deletePart(a);
            throw e;
        }
    }

    /** Reloads the candidate of the last rollout message from disk, checked again; false when none. */
    boolean restore(LoadedModel champion) {
        try {
            byte[] kept = files.message();
            if (kept == null) {
                return false;
            }
            RolloutMessage r = RolloutMessage.parse(kept);
            if (!r.verifies(fetcher.key()) || !r.name().equals(fetcher.modelName())) {
                throw new Rejected("the kept rollout message does not verify");
            }
            Announcement a = r.candidate();
            fetcher.admissible(a);
            if (champion != null && a.version() <= champion.version()) {
                throw new Rejected("v" + a.version() + " is no newer than the champion");
            }
            LoadedModel m = fetcher.load(a, Files.readAllBytes(files.model(a)));
            active.set(new Active(r, m));
            state = "loaded";
            lastRollout = r.rolloutId();
            lastSeq = r.seq();
            log.info("Restored rollout {} candidate v{} in stage {}", r.rolloutId(), a.version(), r.stage());
            return true;
        } catch (IOException | ModelFormatException | Rejected e) {
            log.warn("Cannot restore the rollout candidate from {}: {}", files.dir(), e.getMessage());
            files.deleteMessage();
            return false;
        }
    }

    /** The candidate's bytes when {@code a} is the candidate loaded here (the champion adopts it), else null. */
    byte[] bytesOf(Announcement a) {
        Active cur = active.get();
        if (cur == null || cur.model().version() != a.version() || !cur.model().sha256().equals(a.sha256())) {
            return null;
        }
        try {
            return Files.readAllBytes(files.model(a));
        } catch (IOException e) {
            return null;
        }
    }

    /** The champion changed: a candidate at or below its version is done. */
    synchronized void championIs(LoadedModel champion) {
        Active cur = active.get();
        if (cur != null && champion != null && cur.model().version() <= champion.version()) {
            drop("champion v" + champion.version());
        }
    }

    private synchronized void drop(String why) {
        Active cur = active.getAndSet(null);
        state = "none";
        detail = "";
        files.deleteMessage();
        if (cur != null) {
            log.info("Rollout {}: candidate v{} dropped ({})", cur.rolloutId(), cur.model().version(), why);
            files.delete(cur.rollout().candidate());
            retire(cur.model());
        }
    }

    /** Closes the model retired before this one (scoring may still hold the newest for a window). */
    private synchronized void retire(LoadedModel m) {
        LoadedModel older = retired;
        retired = m;
        if (older != null && older != m) {
            older.close();
        }
    }

    void close() {
        Active cur = active.getAndSet(null);
        if (cur != null) {
            cur.model().close();
        }
        LoadedModel r = retired;
        if (r != null) {
            r.close();
        }
    }
}

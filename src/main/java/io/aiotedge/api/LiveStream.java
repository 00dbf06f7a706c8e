package io.aiotedge.api;

import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One open console stream: a queue bounded by count ({@code console.streamBuffer}) and by bytes
 * ({@value #MAX_QUEUED_BYTES}), filled by the ticker and emptied by this stream's own writer
 * thread (the only one that writes to its socket). An event that does not fit is dropped and
 * counted, and once the client has read what was queued it gets one {@code resync} event. The
 * writer ends when the client goes away or a write fails (the HTTP idle timeout ends a write to a
 * client that never reads). {@link #close} may come from any thread (the ticker ends the stream of a
 * signed-out session); it frees the slot at once and wakes the writer, which closes the socket
 * itself, so no other thread touches the response while a write is under way.
 */
final class LiveStream implements Runnable {
    static final long MAX_QUEUED_BYTES = 1L << 20;

    private record Event(String name, String data) {
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LiveStream.class);
    /** Queued by {@link #close} to wake the writer; never sent. */
    private static final Event WAKE = new Event("", "");

    final String deviceId;
    /** The device rows and scores already sent (ticker thread only). */
    long rowCursor;
    long scoreCursor;
    private final SseClient client;
    private final ArrayBlockingQueue<Event> queue;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong droppedSinceResync = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Counter events;
    private final Counter dropped;
    private final Consumer<LiveStream> onEnd;
    /** Whether whoever opened the stream is still signed in (a cookie session can end mid-stream). */
    volatile java.util.function.BooleanSupplier signedIn = () -> true;

    LiveStream(SseClient client, String deviceId, int capacity, Counter events, Counter dropped,
            Consumer<LiveStream> onEnd) {
        this.client = client;
        this.deviceId = deviceId;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.events = events;
        this.dropped = dropped;
        this.onEnd = onEnd;
    }

    /** Queues an event ({@code name} null: a comment); never blocks. */
    void offer(String name, String data) {
        if (closed.get()) {
            return;
        }
        long size = data.length() + 32L;
        if (queuedBytes.addAndGet(size) > MAX_QUEUED_BYTES || !queue.offer(new Event(name, data))) {
            queuedBytes.addAndGet(-size);
            droppedSinceResync.incrementAndGet();
            dropped.increment();
        }
    }

    int queued() {
        return queue.size();
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public void run() {
        try {
            while (!closed.get() && !client.terminated()) {
                Event e = queue.poll(1, TimeUnit.SECONDS);
                if (e == null || e == WAKE || closed.get()) {
                    continue;
                }
                queuedBytes.addAndGet(-(e.data().length() + 32L));
                send(e);
                long lost = droppedSinceResync.get();
                if (lost > 0 && queue.isEmpty()) {
                    droppedSinceResync.addAndGet(-lost);
                    send(new Event("resync", "{\"dropped\":" + lost + "}"));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // the client went away mid-write
            log.debug("Console stream ended by a failed write: {}", e.toString());
        } finally {
            close();
            try {
                client.close();
            } catch (RuntimeException e) {
                // the socket is already gone
            }
        }
    }

    private void send(Event e) {
        if (e.name() == null) {
            client.sendComment(e.data());
        } else {
            client.sendEvent(e.name(), e.data());
            events.increment();
        }
    }

    /** Ends the stream: its slot is free at once; the writer closes the socket (any thread). */
    void close() {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            queuedBytes.set(0);
            onEnd.accept(this);
            queue.offer(WAKE);
        }
    }
}

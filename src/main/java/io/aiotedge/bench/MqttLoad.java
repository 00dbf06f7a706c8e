package io.aiotedge.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs one {@link LoadSpec} against a broker with MQTT 5 clients and measures delivery. Each
 * payload carries publisher index, sequence number and send time, so subscribers detect loss and
 * duplicates exactly and measure latency (publishers and subscribers share this JVM's clock).
 * Bounded: stops after the spec's seconds or count, then drains for at most 30 s.
 */
public final class MqttLoad {
    private static final long DRAIN_QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long DRAIN_MAX_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final LoadSpec spec;
    private final Consumer<String> progress;
    private final BitSet[] acked;
    private final BitSet[][] seen;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Latencies latencies = new Latencies(20_000_000);
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private final boolean externalSubscribers;

    public MqttLoad(LoadSpec spec, Consumer<String> progress) {
        this(spec, progress, false);
    }

    /**
     * @param externalSubscribers the spec's subscribers are not MQTT clients but something that
     *     calls {@link #deliver} (e.g. a Kafka consumer behind the bridge)
     */
    public MqttLoad(LoadSpec spec, Consumer<String> progress, boolean externalSubscribers) {
        this.externalSubscribers = externalSubscribers;
        this.spec = spec;
        this.progress = progress;
        acked = new BitSet[spec.publishers()];
        seen = new BitSet[spec.subscribers()][spec.publishers()];
        for (int p = 0; p < spec.publishers(); p++) {
            acked[p] = new BitSet();
            for (int s = 0; s < spec.subscribers(); s++) {
                seen[s][p] = new BitSet();
            }
        }
    }

    public LoadResult run() throws InterruptedException {
        List<Mqtt5AsyncClient> subs = new ArrayList<>();
        for (int s = 0; s < spec.subscribers() && !externalSubscribers; s++) {
            subs.add(subscriber(s));
        }
        List<Thread> pubs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < spec.publishers(); p++) {
            int index = p;
            Thread t = new Thread(() -> publishLoop(index, t0), "bench-pub-" + p);
            t.start();
            pubs.add(t);
        }
        reportWhile(pubs, t0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        drain();
        subs.forEach(c -> c.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        return result(seconds);
    }

    private void reportWhile(List<Thread> pubs, long t0) throws InterruptedException {
        for (Thread t : pubs) {
            while (t.isAlive()) {
                t.join(5000);
                progress.accept(String.format(Locale.ROOT, "  %4.0fs sent=%d delivered=%d refused=%d",
                        (System.nanoTime() - t0) / 1e9, sent.get(), received.get(), refused.get()));
            }
        }
    }

    private Mqtt5AsyncClient client(String id) {
        var builder = Mqtt5Client.builder().identifier(id).serverHost(spec.host()).serverPort(spec.port());
        if (spec.username() != null) {
            builder = builder.simpleAuth().username(spec.username())
                    .password(spec.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        Mqtt5AsyncClient c = builder.buildAsync();
        c.connectWith().cleanStart(true).send().orTimeout(30, TimeUnit.SECONDS).join();
        return c;
    }

    private Mqtt5AsyncClient subscriber(int s) {
        Mqtt5AsyncClient c = client("bench-sub-" + runId + "-" + s);
        c.subscribeWith().topicFilter(spec.topicPrefix() + "/#").qos(MqttQos.fromCode(spec.qos()))
                .callback(pub -> deliver(s, pub.getPayload().orElse(ByteBuffer.allocate(0))))
                .send().orTimeout(30, TimeUnit.SECONDS).join();
        return c;
    }

    /** A load payload reached subscriber {@code s}: counts it (or its duplicate) and its latency. */
    public void deliver(int s, ByteBuffer b) {
        long now = System.nanoTime();
        if (b.remaining() < 24) {
            return;
        }
        int p = (int) b.getLong(b.position());
        long seq = b.getLong(b.position() + 8);
        long sentAt = b.getLong(b.position() + 16);
        if (p < 0 || p >= spec.publishers() || seq < 0 || seq > Integer.MAX_VALUE) {
            return;
        }
        BitSet bits = seen[s][p];
        boolean dup;
        synchronized (bits) {
            dup = bits.get((int) seq);
            bits.set((int) seq);
        }
        if (dup) {
            duplicates.incrementAndGet();
        } else {
            received.incrementAndGet();
            latencies.add((now - sentAt) / 1000);
        }
    }

    private void publishLoop(int p, long t0) {
        Mqtt5AsyncClient c = client("bench-pub-" + runId + "-" + p);
        Semaphore window = new Semaphore(spec.maxInFlight());
        long end = t0 + TimeUnit.SECONDS.toNanos(spec.seconds());
        long interval = spec.ratePerPublisher() > 0 ? 1_000_000_000L / spec.ratePerPublisher() : 0;
        String topic = spec.topicPrefix() + "/p" + p;
        long next = System.nanoTime();
        for (long seq = 0; seq < spec.maxPerPublisher() && System.nanoTime() < end; seq++) {
            if (interval > 0) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            try {
                if (!window.tryAcquire(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            publishOne(c, p, seq, topic, window);
        }
        try {
            window.tryAcquire(spec.maxInFlight(), 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        c.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private void publishOne(Mqtt5AsyncClient c, int p, long seq, String topic, Semaphore window) {
        ByteBuffer payload = ByteBuffer.allocate(Math.max(24, spec.payloadBytes()));
        payload.putLong(0, p).putLong(8, seq).putLong(16, System.nanoTime());
        c.publishWith().topic(topic).qos(MqttQos.fromCode(spec.qos())).payload(payload).send()
                .whenComplete((r, e) -> {
                    window.release();
                    if (e == null && accepted(r)) {
                        synchronized (acked[p]) {
                            acked[p].set((int) seq);
                        }
                        sent.incrementAndGet();
                    } else {
                        refused.incrementAndGet();
                    }
                });
    }

    private static boolean accepted(Mqtt5PublishResult r) {
        if (r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
            return !q1.getPubAck().getReasonCode().isError();
        }
        if (r instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2) {
            return !q2.getPubRec().getReasonCode().isError();
        }
        return r.getError().isEmpty();
    }

    private void drain() throws InterruptedException {
        long expected = expected();
        long start = System.nanoTime();
        long lastChange = start;
        long last = -1;
        while (System.nanoTime() - start < DRAIN_MAX_NANOS) {
            long now = received.get();
            if (now >= expected) {
                return;
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > DRAIN_QUIET_NANOS) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private long expected() {
        long total = 0;
        for (BitSet a : acked) {
            synchronized (a) {
                total += a.cardinality();
            }
        }
        return total * spec.subscribers();
    }

    private LoadResult result(double seconds) {
        long lost = 0;
        for (int s = 0; s < spec.subscribers(); s++) {
            for (int p = 0; p < spec.publishers(); p++) {
                BitSet missing;
                synchronized (acked[p]) {
                    missing = (BitSet) acked[p].clone();
                }
                synchronized (seen[s][p]) {
                    missing.andNot(seen[s][p]);
                }
                lost += missing.cardinality();
            }
        }
        return new LoadResult(sent.get(), refused.get(), received.get(), expected(), lost, duplicates.get(), seconds,
                latencies.percentile(50), latencies.percentile(99), latencies.percentile(100));
    }
}

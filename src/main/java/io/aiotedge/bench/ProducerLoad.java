package io.aiotedge.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The bridge benchmark's baseline: the bare kafka-clients producer with the bridge's delivery
 * settings (acks=all, idempotent, linger 2 ms), driven like the MQTT load: {@code senders}
 * sources, each with at most {@code window} records unacknowledged, for {@code seconds}.
 */
final class ProducerLoad {
    record Result(long acked, double seconds, long p50Micros, long p99Micros) {
        double perSecond() {
            return acked / seconds;
        }
    }

    private ProducerLoad() {
    }

    static Result run(String bootstrap, String topic, int senders, int window, int seconds, int payloadBytes)
            throws InterruptedException {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "2");
        p.put("batch.size", String.valueOf(128 * 1024));
        AtomicLong acked = new AtomicLong();
        Latencies latencies = new Latencies(4_000_000);
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                byte[] key = ("bench-p" + s).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                Thread t = new Thread(() -> {
                    Semaphore inFlight = new Semaphore(window);
                    while (System.nanoTime() < end) {
                        try {
                            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        long sentAt = System.nanoTime();
                        byte[] value = ByteBuffer.allocate(Math.max(24, payloadBytes)).putLong(16, sentAt).array();
                        producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                            inFlight.release();
                            if (e == null) {
                                acked.incrementAndGet();
                                latencies.add((System.nanoTime() - sentAt) / 1000);
                            }
                        });
                    }
                    inFlight.acquireUninterruptibly(window);
                }, "bench-producer-" + s);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        return new Result(acked.get(), (System.nanoTime() - t0) / 1e9, latencies.percentile(50),
                latencies.percentile(99));
    }
}

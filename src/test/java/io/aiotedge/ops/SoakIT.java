package io.aiotedge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.bench.LoadResult;
import io.aiotedge.bench.LoadSpec;
import io.aiotedge.bench.MqttLoad;
import io.aiotedge.support.BrokerFixture;
import io.aiotedge.support.DiskUsage;
import io.aiotedge.support.JvmEnv;
import io.aiotedge.support.MemoryCgroup;
import io.aiotedge.support.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI cut of scripts/bench-soak.sh: a things-gateway node with the shipped flags inside its
 * 384 MiB group under paced QoS 1 load (8 publishers x {@code -Daiot.soak.rate} msg/s, 2
 * subscribers, 256 B) for {@code -Daiot.soak.seconds} (default {@value #DEFAULT_SECONDS} s: what
 * the suite's time budget pays for; the script runs an hour). RSS and the data dir's allocated size
 * are sampled. Always held: nothing lost, no OOM kill, ready, peak RSS under the limit, the data
 * dir under its 200 MB budget at the end. The slopes after the warm-up (the first third) are held
 * against the script's bounds (RSS 8 MiB/h, data dir 10 MiB/h) only on a window of at least
 * {@value #SLOPE_WINDOW_SECONDS} s: on 30 s, the heap settling and HiveMQ's client_queue (Xodus,
 * whose GC reclaims log files only after a while) grow by tens of MiB whatever happens later, so
 * the CI run reports them (target/budgets.txt) and the hour judges them. The default rate
 * ({@value #DEFAULT_RATE}/s per publisher) is one the broker delivers without a backlog; at the
 * broker benchmark's 1000/s the subscribers fall behind and client_queue reaches 1.6-2.2 GB
 * (docs/benchmarks.md, "Soak"): {@code -Daiot.soak.rate=1000} reproduces it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SoakIT {
    static final int DEFAULT_SECONDS = 30;
    static final int DEFAULT_RATE = 250;
    static final int SECONDS = Integer.getInteger("aiot.soak.seconds", DEFAULT_SECONDS);
    static final int RATE_PER_PUBLISHER = Integer.getInteger("aiot.soak.rate", DEFAULT_RATE);
    static final int SLOPE_WINDOW_SECONDS = 600;
    /** scripts/bench-soak.sh's bounds, MiB per hour after the warm-up. */
    static final double RSS_SLOPE_MIB_PER_HOUR = 8;
    static final double DATA_SLOPE_MIB_PER_HOUR = 10;
    static final long DATA_BUDGET_BYTES = 200_000_000L;

    record Sample(double seconds, long rssBytes, long dataBytes) {
    }

    @TempDir
    Path tmp;

    @Test
    void pacedQos1Load_staysInItsMemoryAndDiskBudget_noLossNoOomKill() throws Exception {
        Path data = tmp.resolve("node");
        JvmEnv.Profile profile = JvmEnv.load().profile("things-gateway");
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (MemoryCgroup group = MemoryCgroup.create("soak", profile.limitBytes());
                NodeProcess node = NodeProcess.start(data, profile, group, List.of(),
                        BrokerFixture.loopbackGatewayArgs(data))) {
            int port = node.port("mqtt");
            List<Sample> samples = new CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            long every = Math.max(1000, SECONDS * 1000L / 20);
            sampler.scheduleAtFixedRate(() -> samples.add(new Sample((System.nanoTime() - t0) / 1e9,
                    group.usage(node.pid()).rssBytes(), allocated(data))), 0, every, TimeUnit.MILLISECONDS);
            LoadResult r = CompletableFuture.supplyAsync(() -> {
                try {
                    return new MqttLoad(new LoadSpec("127.0.0.1", port, "gw", BrokerFixture.password("gw"), 5, 8,
                            2, 1, RATE_PER_PUBLISHER, SECONDS, Long.MAX_VALUE, 256, "aiot/v1/soak", 1000),
                            line -> {}).run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).get(SECONDS + 120L, TimeUnit.SECONDS);
            sampler.shutdown();
            sampler.awaitTermination(30, TimeUnit.SECONDS);

            List<Sample> settled = samples.stream().filter(s -> s.seconds() >= SECONDS / 3.0).toList();
            double rssGrowth = growthMiB(settled, Sample::rssBytes);
            double dataGrowth = growthMiB(settled, Sample::dataBytes);
            MemoryCgroup.Usage u = group.usage(node.pid());
            long dataEnd = allocated(data);
            MemoryCgroup.report(u.describe("soak " + SECONDS + "s x" + RATE_PER_PUBLISHER + "/s (things-gateway)")
                    + String.format(Locale.ROOT,
                            " rssGrowthAfterWarmUp=%.1fMiB dataGrowthAfterWarmUp=%.1fMiB dataDir=%.1fMiB samples=%d %s",
                            rssGrowth, dataGrowth, dataEnd / 1048576.0, samples.size(), r.summary()));
            assertTrue(settled.size() >= 5, "too few samples after the warm-up: " + samples);
            assertEquals(0, r.lost(), r.summary());
            assertTrue(r.received() > 0, r.summary());
            assertEquals(0, u.oomKills(), u.describe("soak"));
            assertEquals(200, node.get("/health/ready").statusCode());
            assertTrue(u.peakRssBytes() < profile.limitBytes(), u.describe("soak"));
            assertTrue(dataEnd < DATA_BUDGET_BYTES, "data dir " + dataEnd + " B: " + samples);
            if (SECONDS >= SLOPE_WINDOW_SECONDS) {
                double hours = (settled.get(settled.size() - 1).seconds() - settled.get(0).seconds()) / 3600;
                assertTrue(rssGrowth / hours <= RSS_SLOPE_MIB_PER_HOUR, "RSS slope " + rssGrowth / hours
                        + " MiB/h: " + samples);
                assertTrue(dataGrowth / hours <= DATA_SLOPE_MIB_PER_HOUR, "data dir slope " + dataGrowth / hours
                        + " MiB/h: " + samples);
            }
            assertEquals(0, node.terminate(Duration.ofSeconds(30)), node.log());
        } finally {
            sampler.shutdownNow();
        }
    }

    /** The least-squares line's rise over the settled window, in MiB (robust to one noisy sample). */
    static double growthMiB(List<Sample> xs, ToLongFunction<Sample> y) {
        if (xs.size() < 2) {
            return Double.NaN;
        }
        double n = xs.size();
        double mx = xs.stream().mapToDouble(Sample::seconds).sum() / n;
        double my = xs.stream().mapToDouble(s -> y.applyAsLong(s)).sum() / n;
        double sxy = 0;
        double sxx = 0;
        for (Sample s : xs) {
            sxy += (s.seconds() - mx) * (y.applyAsLong(s) - my);
            sxx += (s.seconds() - mx) * (s.seconds() - mx);
        }
        double span = xs.get(xs.size() - 1).seconds() - xs.get(0).seconds();
        return sxx == 0 ? 0 : sxy / sxx * span / 1048576.0;
    }

    /** Allocated size (du -k: fallocated WALs count, sparse files do not), bytes. */
    static long allocated(Path dir) {
        try {
            return DiskUsage.allocatedKiB(dir) * 1024;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot measure " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted measuring " + dir, e);
        }
    }
}

package io.aiotedge.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What this JVM may grow to by its configured caps (max heap, max direct memory, metaspace and
 * code cache caps, and the native pools our own code sizes) against the memory cgroup's limit. A
 * node whose caps exceed the limit can be OOM-killed by the kernel before the JVM's own limits
 * bite, so {@code run} warns at startup (docs/operations.md, "Budgets"). The caps are not all of
 * RSS: thread stacks, GC structures, malloc arenas and HiveMQ's RocksDB come on top, which is why
 * deploy/jvm.env leaves a margin. Immutable.
 */
record MemoryBudget(long heap, long direct, long metaspace, boolean metaspaceCapped, long codeCache,
        long nativePools, CgroupMemory.Limit limit) {

    /** This JVM's caps; {@code nativePools}: what the node's own native stores may hold. */
    static MemoryBudget ofThisJvm(long nativePools, CgroupMemory.Limit limit) {
        long heap = Runtime.getRuntime().maxMemory();
        long metaspace = -1;
        long metaspaceUsed = 0;
        long code = 0;
        // the code cache is one pool "CodeCache", or three "CodeHeap '...'" when segmented (>= 240 MB)
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getMax();
                metaspaceUsed = pool.getUsage().getCommitted();
            } else if (pool.getName().startsWith("CodeHeap") || pool.getName().equals("CodeCache")) {
                code += Math.max(0, pool.getUsage().getMax());
            }
        }
        long direct = directLimit(ManagementFactory.getRuntimeMXBean().getInputArguments(), heap);
        boolean capped = metaspace > 0;
        return new MemoryBudget(heap, direct, capped ? metaspace : metaspaceUsed, capped, code, nativePools, limit);
    }

    /** {@code -XX:MaxDirectMemorySize} (the last one given), else the JVM's default: the max heap. */
    static long directLimit(List<String> jvmArgs, long heap) {
        long direct = heap;
        for (String a : jvmArgs) {
            if (a.startsWith("-XX:MaxDirectMemorySize=")) {
                long v = size(a.substring(a.indexOf('=') + 1));
                direct = v == 0 ? heap : v;
            }
        }
        return direct;
    }

    /** A HotSpot size: digits with an optional k/m/g/t suffix (either case). */
    static long size(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        if (!digits.matches("[0-9]{1,15}")) {
            throw new IllegalArgumentException("not a JVM size: '" + s + "'");
        }
        return Long.parseLong(digits) << shift;
    }

    long total() {
        return heap + direct + metaspace + codeCache + nativePools;
    }

    /** Whether the caps add up to more than the cgroup allows (false without a limit). */
    boolean exceedsLimit() {
        return limit.limited() && total() > limit.bytes();
    }

    /** The one startup line. */
    String describe() {
        String caps = String.format(Locale.ROOT,
                "%d MiB (heap %d, direct %d, metaspace %d%s, code cache %d, native pools %d)", mib(total()),
                mib(heap), mib(direct), mib(metaspace), metaspaceCapped ? "" : " uncapped, committed so far",
                mib(codeCache), mib(nativePools));
        if (!limit.limited()) {
            return "Memory caps " + caps + "; no cgroup memory limit (" + limit.source() + ")";
        }
        if (exceedsLimit()) {
            return "Memory caps " + caps + " exceed the cgroup limit of " + mib(limit.bytes()) + " MiB ("
                    + limit.source() + "): the kernel can OOM-kill this node before the JVM's limits bite;"
                    + " lower -Xmx/-XX:MaxDirectMemorySize or raise the limit (docs/operations.md, Budgets)";
        }
        return "Memory caps " + caps + " within the cgroup limit of " + mib(limit.bytes()) + " MiB ("
                + limit.source() + ")";
    }

    /** runtime.json's {@code memory}. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limitBytes", limit.limited() ? limit.bytes() : null);
        m.put("limitSource", limit.source());
        m.put("capsBytes", total());
        m.put("heapMaxBytes", heap);
        m.put("directMaxBytes", direct);
        m.put("metaspaceBytes", metaspace);
        m.put("metaspaceCapped", metaspaceCapped);
        m.put("codeCacheBytes", codeCache);
        m.put("nativePoolsBytes", nativePools);
        m.put("exceedsLimit", exceedsLimit());
        return m;
    }

    private static long mib(long b) {
        return b >> 20;
    }
}

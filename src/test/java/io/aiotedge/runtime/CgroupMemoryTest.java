package io.aiotedge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup limit as the kernel lays it out (files written to a temp dir in the real layouts). */
class CgroupMemoryTest {
    /** What v1 shows for "no limit" (Long.MAX_VALUE rounded down to a page), read off this CI machine. */
    private static final String V1_UNLIMITED = "9223372036854771712\n";
    private static final String HYBRID_PROC = String.join("\n", "9:name=systemd:/", "4:memory:/process_api/abc",
            "1:cpu:/", "0::/", "");

    @TempDir
    Path tmp;

    private Path write(String relative, String content) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private CgroupMemory.Limit read() {
        return CgroupMemory.read(tmp.resolve("proc/self/cgroup"), tmp.resolve("sys/fs/cgroup"));
    }

    @Test
    void v1Hybrid_childGroupWithALimit_isThatLimit() throws IOException {
        write("proc/self/cgroup", HYBRID_PROC.replace("/process_api/abc", "/process_api/abc/aiot-flood"));
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", V1_UNLIMITED);
        write("sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes", V1_UNLIMITED);
        Path child = write("sys/fs/cgroup/memory/process_api/abc/aiot-flood/memory.limit_in_bytes", "402653184\n");
        write("sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
        assertEquals(new CgroupMemory.Limit(402653184L, child.toString()), read());
    }

    @Test
    void v1_parentLimitSmallerThanTheChilds_holdsTheChild() throws IOException {
        write("proc/self/cgroup", "4:memory:/a/b\n");
        Path parent = write("sys/fs/cgroup/memory/a/memory.limit_in_bytes", "268435456\n");
        write("sys/fs/cgroup/memory/a/b/memory.limit_in_bytes", "1073741824\n");
        assertEquals(new CgroupMemory.Limit(268435456L, parent.toString()), read());
    }

    @Test
    void v1_unlimitedEverywhere_isNoLimit() throws IOException {
        write("proc/self/cgroup", HYBRID_PROC);
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", V1_UNLIMITED);
        write("sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes", V1_UNLIMITED);
        CgroupMemory.Limit l = read();
        assertFalse(l.limited());
        assertTrue(l.source().startsWith("no limit"), l.source());
    }

    @Test
    void v2_systemdServiceWithMemoryMax_isItsMemoryMax() throws IOException {
        write("proc/self/cgroup", "0::/system.slice/aiot-edge.service\n");
        write("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
        write("sys/fs/cgroup/system.slice/memory.max", "max\n");
        Path unit = write("sys/fs/cgroup/system.slice/aiot-edge.service/memory.max", "402653184\n");
        assertEquals(new CgroupMemory.Limit(402653184L, unit.toString()), read());
    }

    @Test
    void v2_containerWhosePathIsNotMounted_readsItsRootGroup() throws IOException {
        write("proc/self/cgroup", "0::/kubepods.slice/pod1/cri-abc\n");
        Path root = write("sys/fs/cgroup/memory.max", "268435456\n");
        assertEquals(new CgroupMemory.Limit(268435456L, root.toString()), read());
    }

    @Test
    void v2_maxEverywhere_isNoLimit() throws IOException {
        write("proc/self/cgroup", "0::/user.slice\n");
        write("sys/fs/cgroup/user.slice/memory.max", "max\n");
        assertFalse(read().limited());
    }

    @Test
    void malformedLimitFile_isReportedWithItsPathAndContent_notGuessed() throws IOException {
        write("proc/self/cgroup", "0::/svc\n");
        Path bad = write("sys/fs/cgroup/svc/memory.max", "384M\n");
        CgroupMemory.Limit l = read();
        assertFalse(l.limited());
        assertEquals("unreadable " + bad + ": not a byte count or \"max\": '384M'", l.source());
    }

    @Test
    void parse_acceptsBytesAndMax_treatsHugeValuesAsUnlimited_rejectsTheRest() {
        assertEquals(402653184L, CgroupMemory.parse("402653184\n"));
        assertEquals(-1, CgroupMemory.parse("max"));
        assertEquals(-1, CgroupMemory.parse(V1_UNLIMITED));
        assertEquals(-1, CgroupMemory.parse("99999999999999999999999"));
        for (String bad : List.of("", "-1", "12 34", "0x100", "1e9")) {
            assertThrows(IllegalArgumentException.class, () -> CgroupMemory.parse(bad), bad);
        }
    }

    @Test
    void noProcSelfCgroup_isNoLimitSayingWhy() {
        CgroupMemory.Limit l = read();
        assertFalse(l.limited());
        assertTrue(l.source().startsWith("no " + tmp.resolve("proc/self/cgroup")), l.source());
    }

    @Test
    void memoryBudget_capsOverTheLimit_warnWithEveryFigure() {
        MemoryBudget b = new MemoryBudget(160L << 20, 32L << 20, 96L << 20, true, 48L << 20, 12L << 20,
                new CgroupMemory.Limit(256L << 20, "/sys/fs/cgroup/x/memory.max"));
        assertEquals(348L << 20, b.total());
        assertTrue(b.exceedsLimit());
        assertTrue(b.describe().startsWith("Memory caps 348 MiB (heap 160, direct 32, metaspace 96, code cache 48,"
                + " native pools 12) exceed the cgroup limit of 256 MiB (/sys/fs/cgroup/x/memory.max)"), b.describe());
        assertFalse(new MemoryBudget(1, 1, 1, true, 1, 0, new CgroupMemory.Limit(-1, "none")).exceedsLimit());
    }

    @Test
    void directLimit_isTheLastFlag_zeroOrAbsentMeansTheHeap() {
        long heap = 160L << 20;
        assertEquals(32L << 20, MemoryBudget.directLimit(List.of("-XX:MaxDirectMemorySize=16m",
                "-XX:MaxDirectMemorySize=32M"), heap));
        assertEquals(heap, MemoryBudget.directLimit(List.of("-XX:MaxDirectMemorySize=0"), heap));
        assertEquals(heap, MemoryBudget.directLimit(List.of("-Xmx160m"), heap));
        assertEquals(1L << 30, MemoryBudget.size("1g"));
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.size("lots"));
    }

    @Test
    void memoryBudget_ofThisJvm_readsItsHeapAndCodeCacheCaps() {
        MemoryBudget b = MemoryBudget.ofThisJvm(12L << 20, new CgroupMemory.Limit(-1, "none"));
        assertEquals(Runtime.getRuntime().maxMemory(), b.heap());
        assertTrue(b.codeCache() > 0, "code cache pools found: " + b);
        assertEquals(b.heap() + b.direct() + b.metaspace() + b.codeCache() + (12L << 20), b.total());
    }
}
